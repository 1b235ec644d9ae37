package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InjectionModelTest {

    /**
     * {@link InjectionModel.Tally} counts every n-gram after its start offset and keeps those of positive weight,
     * ranked by first occurrence, with the sum and first end that accumulating each occurrence in order gives;
     * {@code largest} is the head of a stable sort of those sums, largest first (ties, frequent with 8-bit weights,
     * in first-occurrence order).
     */
    @Test
    void tallyEqualsAnAccumulationPerNgramAndLargestTheHeadOfAStableSort() {
        Random random = new Random(13);
        byte[] q = new byte[InjectionFeatures.BUCKETS];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) (random.nextInt(9) - 4); // few distinct weights, so many ties
        }
        String[] words = {"ignore", "you", "the", "a", "instructions", "dan", "x", " ", "  ", ". ", "\n", "(", "ü"};
        int ties = 0;
        for (int k = 0; k < 600; k++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(k % 3 == 0 ? 6000 : 600); b.length() < len; ) {
                b.append(words[random.nextInt(words.length)]);
            }
            String t = b.toString();
            int after = random.nextInt(t.length() + 1);
            Map<Integer, Double> sums = new LinkedHashMap<>(); // first-occurrence order
            Map<Integer, Integer> endOf = new HashMap<>();
            int[] total = {0};
            InjectionFeatures.ngrams(t, (bucket, end) -> {
                if (end > after) {
                    total[0]++;
                    if (q[bucket] > 0) {
                        sums.merge(bucket, (double) q[bucket] * 0.01f, Double::sum);
                        endOf.putIfAbsent(bucket, end);
                    }
                }
            });
            InjectionModel.Tally tally = new InjectionModel.Tally(t.length(), after, q);
            InjectionFeatures.ngrams(t, tally);
            double[] got = tally.sums(0.01f);
            assertEquals(total[0], tally.total);
            assertEquals(sums.size(), tally.distinct);
            List<Integer> buckets = new ArrayList<>(sums.keySet());
            for (int d = 0; d < tally.distinct; d++) {
                assertEquals(buckets.get(d), tally.key[d]);
                assertEquals(sums.get(buckets.get(d)), got[d]);
                assertEquals(endOf.get(buckets.get(d)), tally.first[d]);
            }
            List<Integer> sorted = new ArrayList<>(java.util.stream.IntStream.range(0, tally.distinct).boxed().toList());
            sorted.sort((x, y) -> Double.compare(got[y], got[x])); // stable
            int top = random.nextInt(12);
            List<Integer> want = sorted.subList(0, Math.min(top, sorted.size()));
            assertEquals(want, java.util.Arrays.stream(tally.largest(got, top)).boxed().toList());
            for (int i = 1; i < want.size(); i++) {
                ties += got[want.get(i)] == got[want.get(i - 1)] ? 1 : 0;
            }
        }
        assertTrue(ties > 100, "too few ties to test their order: " + ties);
    }
}
