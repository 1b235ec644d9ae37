package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeywordIndexTest {

    private static final List<String> KEYWORDS = List.of("key", "sk", "sk_live", ".", "://", "-u", "token", "ken",
            "hooks.slack.com", "age-secret-key-1");

    /** The String pass (block copies into a char array) must report exactly the generic pass's hits, in order. */
    @Test
    void stringPassReportsTheSameHitsInTheSameOrderAsTheCharSequencePass() {
        KeywordIndex index = new KeywordIndex(KEYWORDS);
        Random random = new Random(7);
        String[] pieces = {"key", "sk_live_", "a.b", "https://", " -u ", "TOKEN", "hooks.slack.com/x", "é", "\u4e2d",
            "AGE-SECRET-KEY-1", "z", " ", "\n", "sK", "ke"};
        for (int size : new int[] {100, 16_384, 70_001, 200_000}) {
            StringBuilder b = new StringBuilder();
            while (b.length() < size) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            List<Long> single = new ArrayList<>();
            index.scan((CharSequence) b, (k, end) -> single.add((long) end << 8 | k));
            List<Long> fast = new ArrayList<>();
            index.scan(b.toString(), (k, end) -> fast.add((long) end << 8 | k));
            assertEquals(single, fast, "size " + size);
        }
    }

    /** Long texts are read as two halves at once: hits across the seam are reported once, in text order. */
    @Test
    void twoLanesReportEveryHitAcrossTheSeamOnce() {
        KeywordIndex index = new KeywordIndex(KEYWORDS);
        String unit = "age-secret-key-1hooks.slack.comsk_live:///";
        for (int size = 8190; size < 8190 + 2 * unit.length(); size++) {
            String text = unit.repeat(size / unit.length() + 1).substring(0, size);
            List<Long> single = new ArrayList<>();
            index.scan((CharSequence) new StringBuilder(text), (k, end) -> single.add((long) end << 8 | k));
            List<Long> fast = new ArrayList<>();
            index.scan(text, (k, end) -> fast.add((long) end << 8 | k));
            assertEquals(single, fast, "size " + size);
        }
    }
}
