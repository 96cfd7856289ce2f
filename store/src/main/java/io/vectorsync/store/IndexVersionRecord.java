package io.vectorsync.store;

import java.time.Instant;

/**
 * One version of a space's index as the registry stores it: its number, its role ({@code live}, {@code building}
 * while a rebuild replays the log into it, {@code previous} when it is kept up to date for a rollback), the
 * settings it was built with (JSON, as the admin API took them) and when it was created.
 */
public record IndexVersionRecord(String space, int version, String role, String settings, Instant createdAt) {
}
