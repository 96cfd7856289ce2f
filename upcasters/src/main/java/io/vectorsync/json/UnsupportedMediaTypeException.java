package io.vectorsync.json;

/** A request body of a media type the API does not read there. */
public class UnsupportedMediaTypeException extends RuntimeException {

    public UnsupportedMediaTypeException(String expected, String actual) {
        super("send Content-Type " + expected + (actual == null ? "" : ", not " + actual));
    }
}
