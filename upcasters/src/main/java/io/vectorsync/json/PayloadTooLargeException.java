package io.vectorsync.json;

/** A request body, or one line of it, is larger than the API accepts. */
public class PayloadTooLargeException extends RuntimeException implements ReportedProblem {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("the request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String slug() {
        return "payload-too-large";
    }

    @Override
    public String title() {
        return "Payload too large";
    }
}
