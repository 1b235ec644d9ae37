package io.infershield.proxy.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replaces finding spans with typed placeholders such as {@code [REDACTED:email]} before text is forwarded. */
public final class Redactor {

    private Redactor() {
    }

    /** The placeholder for one finding type. */
    public static String placeholder(String type) {
        return "[REDACTED:" + type + "]";
    }

    /**
     * {@code text} with every finding span replaced; overlapping spans merge and take the type of the
     * finding that starts first.
     */
    public static String redact(String text, List<Finding> findings) {
        if (findings.isEmpty()) {
            return text;
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed()));
        StringBuilder b = new StringBuilder(text.length());
        int pos = 0;
        for (Finding f : sorted) {
            int s = Math.min(f.start(), text.length());
            int e = Math.min(f.end(), text.length());
            if (e <= pos) {
                continue;
            }
            if (s >= pos) {
                b.append(text, pos, s).append(placeholder(f.type()));
            }
            pos = e;
        }
        b.append(text, pos, text.length());
        return b.toString();
    }
}
