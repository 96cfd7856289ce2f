package io.vectorsync.cli;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One line about an error for a person: a {@link Failure}'s message, else the chain of causes' messages. */
public final class Errors {

    private Errors() {
    }

    public static String describe(Throwable e) {
        if (e instanceof Failure) {
            return oneLine(e.getMessage());
        }
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t : chain(e)) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                messages.add(oneLine(t.getMessage()));
            }
        }
        return messages.isEmpty() ? e.getClass().getName() : String.join(": ", messages);
    }

    /** The innermost message of the chain (the database's own words, usually). */
    public static String rootMessage(Throwable e) {
        List<Throwable> chain = chain(e);
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message != null && !message.isBlank()) {
                return oneLine(message);
            }
        }
        return e.getClass().getName();
    }

    /** The exception, its causes and, for SQL exceptions, the exceptions chained to them (a batch's real reason). */
    public static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        Throwable t = e;
        while (t != null && !chain.contains(t)) {
            chain.add(t);
            if (t instanceof SQLException sql && sql.getNextException() != null && t.getCause() == null) {
                t = sql.getNextException();
            } else {
                t = t.getCause();
            }
        }
        return chain;
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
