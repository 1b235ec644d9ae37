package io.infershield.proxy.security;

/**
 * One thing a detector found.
 *
 * @param category    what kind of risk
 * @param type        the rule or entity name, e.g. {@code email}, {@code github-pat}, {@code instruction-override}
 * @param start       first char index in the scanned text (inclusive, Java {@code String} index)
 * @param end         end char index (exclusive)
 * @param score       confidence 0-100
 * @param explanation why it fired: the rule id, a validator, or the model's top contributing n-grams; never the matched text
 */
public record Finding(Category category, String type, int start, int end, int score, String explanation) {

    public Finding {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score out of 0-100: " + score);
        }
    }

    /** The same finding moved by {@code delta} chars (stream windows and decoded segments report absolute offsets). */
    public Finding shift(int delta) {
        return new Finding(category, type, start + delta, end + delta, score, explanation);
    }

    /** True when the two spans share at least one char. */
    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}
