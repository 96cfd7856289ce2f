package io.vectorsync.json;

/** A request body of a media type the API does not read there. */
public class UnsupportedMediaTypeException extends RuntimeException implements ReportedProblem {

    public UnsupportedMediaTypeException(String expected, String actual) {
        super("send Content-Type " + expected + (actual == null ? "" : ", not " + actual));
    }

    @Override
    public int status() {
        return 415;
    }

    @Override
    public String slug() {
        return "unsupported-media-type";
    }

    @Override
    public String title() {
        return "Unsupported media type";
    }
}
