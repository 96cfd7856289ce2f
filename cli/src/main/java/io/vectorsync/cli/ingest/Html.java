package io.vectorsync.cli.ingest;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An HTML page's title and its text, without markup: good enough for indexing, not a browser's rendering. */
final class Html {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern H1 = Pattern.compile("<h1\\b[^>]*>(.*?)</h1\\s*>", FLAGS);
    private static final Pattern TITLE = Pattern.compile("<title\\b[^>]*>(.*?)</title\\s*>", FLAGS);
    /** What is never text: comments, scripts, styles, the head (its title is the title, not body text). */
    private static final Pattern HIDDEN = Pattern.compile("<!--.*?-->|<(script|style|head|template|noscript)\\b[^>]*>.*?</\\1\\s*>"
            + "|<!DOCTYPE[^>]*>", FLAGS);
    private static final Pattern BLOCK = Pattern.compile("</?(br|p|div|h[1-6]|li|ul|ol|tr|td|th|table|section|article|"
            + "header|footer|nav|aside|main|pre|blockquote|hr|dd|dt|dl|figure|figcaption|form)\\b[^>]*>", FLAGS);
    private static final Pattern TAG = Pattern.compile("<[^>]*>", Pattern.DOTALL);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.ofEntries(Map.entry("amp", "&"), Map.entry("lt", "<"),
            Map.entry("gt", ">"), Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", " "),
            Map.entry("ndash", "–"), Map.entry("mdash", "—"), Map.entry("hellip", "…"), Map.entry("copy", "©"),
            Map.entry("reg", "®"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("euro", "€"));

    private Html() {
    }

    /** The text of the first {@code <h1>}, else of {@code <title>}, when not blank. */
    static Optional<String> title(String html) {
        for (Pattern pattern : new Pattern[]{H1, TITLE}) {
            Matcher matcher = pattern.matcher(html);
            if (matcher.find()) {
                String title = decode(TAG.matcher(matcher.group(1)).replaceAll(" ")).replaceAll("\\s+", " ").strip();
                if (!title.isEmpty()) {
                    return Optional.of(title);
                }
            }
        }
        return Optional.empty();
    }

    /** The page's text: tags dropped, blocks on lines of their own (no blank ones), entities decoded, white space tidied. */
    static String text(String html) {
        String text = HIDDEN.matcher(html).replaceAll(" ");
        text = BLOCK.matcher(text).replaceAll("\n");
        text = decode(TAG.matcher(text).replaceAll(""));
        return java.util.Arrays.stream(text.split("\\R"))
                .map(line -> line.replaceAll("[\\s\\u00a0]+", " ").strip())
                .filter(line -> !line.isEmpty())
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String decode(String text) {
        return ENTITY.matcher(text).replaceAll(match -> Matcher.quoteReplacement(entity(match.group(1), match.group())));
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            try {
                int code = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(code) && code != 0 ? Character.toString(code) : whole;
            } catch (NumberFormatException e) {
                return whole;
            }
        }
        return NAMED.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), whole);
    }
}
