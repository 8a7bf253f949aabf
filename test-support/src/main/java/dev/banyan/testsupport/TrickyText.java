package dev.banyan.testsupport;

import java.util.List;
import java.util.Random;

/**
 * Random text built from every delimiter and escape character the project (or a tool printing its
 * data) uses: map and list syntax, key/value separators, quotes, backslash, NUL, line breaks, and
 * non-ASCII text including a character outside the BMP (a surrogate pair). Property tests use it for
 * tag names and values, which must never be joined into an ambiguous key.
 */
public final class TrickyText {

    /** Pieces text is assembled from; each may appear several times in a row. */
    public static final List<String> PIECES = List.of("|", "{", "}", "=", ",", ":", ";", "\"", "'", "\\", "\0", "\n",
            "\r", "\t", " ", "[", "]", "x", "y", "é", "中", "\uD83D\uDE00", "ÿ", "}|{", "=,", "\\|");

    private TrickyText() {
    }

    /** A string of 0 to {@code maxPieces} pieces ({@code minPieces} at least). */
    public static String next(Random random, int minPieces, int maxPieces) {
        int n = minPieces + random.nextInt(maxPieces - minPieces + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return text.toString();
    }
}
