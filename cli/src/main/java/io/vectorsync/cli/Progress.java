package io.vectorsync.cli;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of long commands on standard error: on a terminal a bar redrawn in place (plain ANSI) with the rate and
 * the time left, elsewhere a line every few seconds, so logs and CI output stay readable. A task's {@link Task#advance}
 * may be called from several threads.
 */
public abstract class Progress {

    /** How progress is shown: {@code auto} is a bar on a terminal, else lines. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    public static final Progress NONE = new Progress() {
        @Override
        public Task start(String label, long total, String unit) {
            return new Task(label, total, unit) {
                @Override
                void render(boolean last) {
                }
            };
        }
    };

    /** Starts a task of {@code total} units ({@code rows}); closing it shows its end. */
    public abstract Task start(String label, long total, String unit);

    public static Progress create(Mode mode, PrintWriter err) {
        return switch (mode) {
            case NONE -> NONE;
            case BAR -> new Bar(err, columns(), System.getenv("NO_COLOR") == null);
            case LINES -> new Lines(err, Duration.ofSeconds(5));
            case AUTO -> terminal() ? create(Mode.BAR, err) : create(Mode.LINES, err);
        };
    }

    /**
     * Whether standard error is a terminal: {@code bin/vectorsync} says so ({@code -Dvectorsync.cli.terminal});
     * without it, whether the JVM has an interactive console.
     */
    static boolean terminal() {
        String told = System.getProperty("vectorsync.cli.terminal");
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told);
        }
        var console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+: a console exists even when redirected; isTerminal() tells
            Method isTerminal = console.getClass().getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static int columns() {
        for (String value : new String[]{System.getProperty("vectorsync.cli.columns"), System.getenv("COLUMNS")}) {
            try {
                if (value != null && !value.isBlank() && Integer.parseInt(value.strip()) >= 40) {
                    return Integer.parseInt(value.strip());
                }
            } catch (NumberFormatException ignored) {
                // not a width
            }
        }
        return 100;
    }

    /** One task: counts units done, shows them now and then, and its end when closed. */
    public abstract static class Task implements AutoCloseable {
        final String label;
        final long total;
        final String unit;
        final long started = System.nanoTime();
        final AtomicLong done = new AtomicLong();
        private volatile long lastRender = started;
        private boolean closed;

        Task(String label, long total, String unit) {
            this.label = label;
            this.total = Math.max(0, total);
            this.unit = unit;
        }

        /** Shows the task at once. */
        synchronized Task show() {
            render(false);
            return this;
        }

        public void advance(long units) {
            done.addAndGet(units);
            long now = System.nanoTime();
            if (now - lastRender >= interval()) {
                synchronized (this) {
                    if (!closed && now - lastRender >= interval()) {
                        lastRender = now;
                        render(false);
                    }
                }
            }
        }

        public long done() {
            return done.get();
        }

        /** Seconds since the task started. */
        public double seconds() {
            return (System.nanoTime() - started) / 1e9;
        }

        /** Units per second so far. */
        public double rate() {
            double seconds = seconds();
            return seconds <= 0 ? 0 : done.get() / seconds;
        }

        long interval() {
            return Duration.ofMillis(100).toNanos();
        }

        abstract void render(boolean last);

        /** Prints a line of its own to {@code err} while the task runs (a bar is cleared first and drawn again). */
        public synchronized void println(PrintWriter err, String line) {
            err.println(line);
            err.flush();
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                render(true);
            }
        }

        String counts() {
            return number(done.get()) + "/" + number(total) + " " + unit;
        }

        String rateText() {
            return number(Math.round(rate())) + " " + unit + "/s";
        }

        String eta() {
            double rate = rate();
            long left = total - done.get();
            if (rate <= 0 || left <= 0) {
                return "";
            }
            return "ETA " + duration((long) Math.ceil(left / rate));
        }

        int percent() {
            return total == 0 ? 100 : (int) Math.min(100, done.get() * 100 / total);
        }
    }

    /** A bar redrawn in place: {@code \r}, the line, erase to its end. */
    static final class Bar extends Progress {
        private static final String GREEN = "\u001b[32m";
        private static final String BOLD = "\u001b[1m";
        private static final String RESET = "\u001b[0m";
        private static final String ERASE_TO_END = "\u001b[K";

        private final PrintWriter err;
        private final int columns;
        private final boolean color;

        Bar(PrintWriter err, int columns, boolean color) {
            this.err = err;
            this.columns = columns;
            this.color = color;
        }

        @Override
        public Task start(String label, long total, String unit) {
            String left = String.format(Locale.ROOT, "  %-18s ", label);
            // the longest the text right of the bar gets, so the bar keeps its width
            String widest = String.format(Locale.ROOT, " 100%%  %s/%s %s  in 99m59s, %s %s/s", number(total),
                    number(total), unit, number(9_999_999), unit);
            int width = Math.max(10, Math.min(40, columns - left.length() - widest.length() - 3));
            return new Task(label, total, unit) {
                @Override
                void render(boolean last) {
                    String right = String.format(Locale.ROOT, " %3d%%  %s  %s  %s", percent(), counts(),
                            last ? "in " + duration(Math.round(seconds())) + ", " + rateText() : rateText(),
                            last ? "" : eta()).stripTrailing();
                    int filled = (int) ((long) width * percent() / 100);
                    String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
                    String line = (color ? BOLD + left + RESET : left) + "["
                            + (color ? GREEN + bar + RESET : bar) + "]" + right;
                    err.print("\r" + line + ERASE_TO_END + (last ? System.lineSeparator() : ""));
                    err.flush();
                }

                @Override
                public synchronized void println(PrintWriter to, String text) {
                    err.print("\r" + ERASE_TO_END);
                    err.flush();
                    to.println(text);
                    to.flush();
                    render(false);
                }
            }.show();
        }
    }

    /** A plain line every {@code every}, and one at the end. */
    static final class Lines extends Progress {
        private final PrintWriter err;
        private final Duration every;

        Lines(PrintWriter err, Duration every) {
            this.err = err;
            this.every = every;
        }

        @Override
        public Task start(String label, long total, String unit) {
            return new Task(label, total, unit) {
                @Override
                long interval() {
                    return every.toNanos();
                }

                @Override
                void render(boolean last) {
                    if (last) {
                        err.println("  " + label + ": " + number(done.get()) + " " + unit + " in "
                                + String.format(Locale.ROOT, "%.1f s", seconds()) + " (" + rateText() + ")");
                    } else {
                        err.println("  " + label + ": " + counts() + " (" + percent() + "%), " + rateText()
                                + (eta().isEmpty() ? "" : ", " + eta()));
                    }
                    err.flush();
                }
            };
        }
    }

    /** 1234567 as {@code 1,234,567}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Seconds as {@code 42s}, {@code 3m05s} or {@code 2h03m}. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
