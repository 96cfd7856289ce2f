package io.vectorsync.domain;

/**
 * Bad input, to a command or a query: names the offending field (a JSON path such as
 * {@code metadata.color} or {@code vectors.chunks[2].vector}) so the API can report it.
 */
public class InvalidInputException extends IllegalArgumentException {

    private final String field;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
