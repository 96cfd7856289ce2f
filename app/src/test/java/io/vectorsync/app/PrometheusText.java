package io.vectorsync.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): {@code # HELP} and {@code # TYPE} lines, and
 * samples {@code name{label="value",...} value}. Anything else — a sample before its family's TYPE, a type it does
 * not know, a malformed label, a {@code quantile} label in a histogram, a counter whose name does not end in
 * {@code _total} — fails the parse with the line.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types;
    private final List<Sample> samples;

    private PrometheusText(Map<String, String> types, List<Sample> samples) {
        this.types = types;
        this.samples = samples;
    }

    static PrometheusText parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    require(NAME.matcher(parts[2]).matches() && parts.length == 4 && TYPES.contains(parts[3].trim()),
                            number, line);
                    require(types.put(parts[2], parts[3].trim()) == null, number, line + " (a second TYPE)");
                    if (parts[3].trim().equals("counter")) {
                        require(parts[2].endsWith("_total"), number, line + " (a counter's name ends in _total)");
                    }
                }
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            require(matcher.matches(), number, line);
            String name = matcher.group(1);
            Map<String, String> labels = labels(matcher.group(3), number, line);
            String family = family(name, types);
            require(family != null, number, line + " (no TYPE for its family)");
            if (types.get(family).equals("histogram")) {
                require(!labels.containsKey("quantile"), number, line + " (a quantile in a histogram)");
                require(!name.equals(family), number, line + " (a histogram sample without _bucket, _count or _sum)");
            }
            samples.add(new Sample(name, labels, value(matcher.group(4), number, line)));
        }
        return new PrometheusText(types, samples);
    }

    /** The family a sample belongs to: its own name, or without a histogram's or summary's suffix. */
    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int number, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        Matcher matcher = LABEL.matcher(text);
        int at = 0;
        while (at < text.length() && matcher.find(at) && matcher.start() == at) {
            require(labels.put(matcher.group(1), matcher.group(2)) == null, number, line + " (a label twice)");
            at = matcher.end();
        }
        require(at == text.length(), number, line + " (malformed labels)");
        return labels;
    }

    private static double value(String text, int number, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + number + ": not a value: " + line);
                }
            }
        };
    }

    private static void require(boolean condition, int number, String line) {
        if (!condition) {
            throw new AssertionError("not Prometheus text, line " + number + ": " + line);
        }
    }

    String type(String family) {
        return types.get(family);
    }

    /** The value of the one sample with this name whose labels include {@code labels} (name, value, …). */
    OptionalDouble value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError("more than one sample " + name + " " + List.of(labels) + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.getFirst().value());
    }

    /** The sum of every sample with this name whose labels include {@code labels}; 0 when there is none. */
    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }
}
