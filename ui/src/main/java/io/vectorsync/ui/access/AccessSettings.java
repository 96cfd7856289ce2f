package io.vectorsync.ui.access;

import java.time.Duration;

/**
 * The front door's settings: the bootstrap admin key ({@code vectorsync.security.admin.key}; null: none) and how
 * long a console session lasts without a request ({@code sessionIdle}) and at most ({@code sessionMaxAge}), and how
 * much of each workload it takes on at once ({@code limits}, {@code vectorsync.limits}); whether Prometheus may
 * scrape the metrics without a key ({@code metricsPublic}, {@code vectorsync.observe.metrics-public}).
 */
public record AccessSettings(String adminKey, Duration sessionIdle, Duration sessionMaxAge, LoadLimits limits,
                             boolean metricsPublic) {

    public static final AccessSettings DEFAULTS = new AccessSettings(null, Duration.ofMinutes(30), Duration.ofHours(12),
            LoadLimits.DEFAULTS, false);

    public AccessSettings {
        if (adminKey != null && adminKey.isBlank()) {
            adminKey = null;
        }
        if (sessionIdle.isNegative() || sessionIdle.isZero() || sessionMaxAge.compareTo(sessionIdle) < 0) {
            throw new IllegalArgumentException("vectorsync.security: session-idle-minutes must be positive and at most "
                    + "session-max-hours");
        }
    }

    public AccessSettings withAdminKey(String key) {
        return new AccessSettings(key, sessionIdle, sessionMaxAge, limits, metricsPublic);
    }

    public AccessSettings withLimits(LoadLimits limits) {
        return new AccessSettings(adminKey, sessionIdle, sessionMaxAge, limits, metricsPublic);
    }

    public AccessSettings withMetricsPublic(boolean metricsPublic) {
        return new AccessSettings(adminKey, sessionIdle, sessionMaxAge, limits, metricsPublic);
    }
}
