package io.vectorsync.domain;

/** Bad input to a document command; names the offending field so the API can report it. */
public class InvalidDocumentException extends IllegalArgumentException {

    private final String field;

    public InvalidDocumentException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
