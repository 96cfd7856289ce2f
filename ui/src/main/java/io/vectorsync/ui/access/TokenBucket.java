package io.vectorsync.ui.access;

/**
 * A key's rate limit: {@code ratePerSecond} tokens a second, at most one second's worth (and at least one) saved
 * up, so a key may burst briefly but not exceed its rate over any second.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, long now) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = Math.max(1, ratePerSecond);
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /** Takes a token: 0 when there was one, else how many nanoseconds until there will be. */
    synchronized long take(long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
