package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InjectionFeaturesTest {

    private static final String[] WORDS = {"ignore", "all", "previous", "instructions", "you", "are", "dan", "a",
        "x", "reveal", "your", "system", "prompt", "1337", "llm", "über", "naïve", "supercalifragilisticexpialidocious",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ok"};
    private static final String[] GAPS = {" ", "  ", ", ", ". ", "\n", "_", "-", "'", "(", ")", "://", "", "é", "\uD83D\uDE00"};

    private static String randomText(Random random) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(60); k >= 0; k--) {
            b.append(WORDS[random.nextInt(WORDS.length)]).append(GAPS[random.nextInt(GAPS.length)]);
        }
        return b.toString();
    }

    /** The one-walk {@link InjectionFeatures#describe} names what one n-gram pass per suffix length named. */
    @Test
    void describeEqualsOnePassPerSuffix() {
        Random random = new Random(3);
        int named = 0;
        for (int k = 0; k < 1500; k++) {
            String t = randomText(random);
            List<int[]> grams = new ArrayList<>();
            InjectionFeatures.ngrams(t, (bucket, end) -> grams.add(new int[] {bucket, end}));
            for (int g = 0; g < grams.size(); g += 1 + random.nextInt(4)) {
                int[] x = grams.get(g);
                String expected = reference(t, x[1], x[0]);
                assertEquals(expected, InjectionFeatures.describe(t, x[1], x[0]), t + " @" + x[1]);
                named += expected.startsWith("'") ? 1 : 0;
                // a bucket that does not end there (mostly): the "#bucket" answer
                int other = random.nextInt(InjectionFeatures.BUCKETS);
                assertEquals(reference(t, x[1], other), InjectionFeatures.describe(t, x[1], other));
            }
        }
        assertTrue(named > 5000, "too few n-grams named: " + named);
    }

    /** describe as it was: an n-gram pass over the piece, then one over each suffix until one produces the bucket. */
    private static String reference(String t, int end, int bucket) {
        String[] found = new String[1];
        int from = Math.max(0, end - 64);
        int s0 = from;
        for (int k = 0; k < 64 && s0 > 0 && InjectionFeatures.isWord(t.charAt(s0 - 1)); k++) {
            s0--;
        }
        String piece = t.substring(s0, end);
        InjectionFeatures.ngrams(piece, (b, e) -> {
            if (b == bucket && e == piece.length() && found[0] == null) {
                found[0] = piece;
            }
        });
        if (found[0] == null) {
            return "#" + bucket;
        }
        for (int len = 1; len <= Math.min(piece.length(), 64); len++) {
            String tail = piece.substring(piece.length() - len);
            boolean[] hit = {false};
            InjectionFeatures.ngrams(tail, (b, e) -> hit[0] |= b == bucket && e == tail.length());
            if (hit[0]) {
                return "'" + tail + "'";
            }
        }
        return "'" + piece + "'";
    }
}
