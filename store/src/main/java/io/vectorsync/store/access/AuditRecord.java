package io.vectorsync.store.access;

import java.time.Instant;

/**
 * One admin action as the audit log keeps it: when, which key (its id and name, never its secret), what was done
 * to which target, and how it ended ({@code outcome} in words, {@code status} the HTTP status answered).
 * {@code id} grows with every record, so it orders and pages them.
 */
public record AuditRecord(long id, Instant at, String keyId, String keyName, String action, String target,
                          String outcome, int status) {
}
