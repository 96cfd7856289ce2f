package io.vectorsync.ui.access;

import io.vectorsync.domain.InvalidInputException;

import java.util.Locale;

/** What a key may do: {@code admin} everything; {@code writer} write and read its tenants; {@code reader} read them. */
public enum Role {
    ADMIN, WRITER, READER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id, String field) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new InvalidInputException(field, "must be admin, writer or reader");
    }
}
