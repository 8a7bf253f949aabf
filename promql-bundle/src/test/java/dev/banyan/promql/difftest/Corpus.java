package dev.banyan.promql.difftest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expressions of the differential tests, read from {@code corpus.txt} beside this class. One
 * query per line; times are offsets from the data set's start ({@code +1h30m},
 * {@code -5m}, {@code +0s}):
 * <pre>
 * instant &lt;time&gt; &lt;expr&gt;                  both answer alike
 * range &lt;start&gt; &lt;end&gt; &lt;step&gt; &lt;expr&gt;      both answer alike
 * unsupported instant|range ... &lt;expr&gt;    Banyan refuses with bad_data; Prometheus is not asked
 * </pre>
 * Invalid queries are ordinary entries: the answers must fail with the same error class.
 */
public final class Corpus {

    /** One query of the corpus. */
    public record Entry(int line, boolean range, boolean unsupported, long startMs, long endMs, long stepMs, String expr) {
        @Override
        public String toString() {
            return "corpus.txt:" + line + " " + (range ? "range " + startMs + ".." + endMs + "/" + stepMs + " "
                    : "instant " + startMs + " ") + expr;
        }
    }

    private static final Pattern OFFSET = Pattern.compile("([+-])((?:[0-9]+(?:ms|s|m|h))+)");
    private static final Pattern UNIT = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Corpus() {
    }

    /** The corpus with times relative to {@code startMs}. */
    public static List<Entry> load(long startMs) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Corpus.class.getResourceAsStream("corpus.txt"), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] words = trimmed.split("\\s+", 2);
                boolean unsupported = words[0].equals("unsupported");
                if (unsupported) {
                    words = words[1].split("\\s+", 2);
                }
                if (words[0].equals("instant")) {
                    String[] rest = words[1].split("\\s+", 2);
                    long t = time(startMs, rest[0], n);
                    entries.add(new Entry(n, false, unsupported, t, t, 0, rest[1]));
                } else if (words[0].equals("range")) {
                    String[] rest = words[1].split("\\s+", 4);
                    entries.add(new Entry(n, true, unsupported, time(startMs, rest[0], n), time(startMs, rest[1], n),
                            duration(rest[2], n), rest[3]));
                } else {
                    throw new IOException("corpus.txt:" + n + ": expected instant, range or unsupported: " + line);
                }
            }
        }
        return entries;
    }

    private static long time(long startMs, String offset, int line) throws IOException {
        Matcher m = OFFSET.matcher(offset);
        if (!m.matches()) {
            throw new IOException("corpus.txt:" + line + ": bad time offset " + offset);
        }
        long ms = duration(m.group(2), line);
        return startMs + (m.group(1).equals("-") ? -ms : ms);
    }

    private static long duration(String text, int line) throws IOException {
        Matcher m = UNIT.matcher(text);
        long ms = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IOException("corpus.txt:" + line + ": bad duration " + text);
            }
            long n = Long.parseLong(m.group(1));
            ms += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new IOException("corpus.txt:" + line + ": bad duration " + text);
        }
        return ms;
    }
}
