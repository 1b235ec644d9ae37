package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InjectionModelTest {

    /** {@link InjectionModel#largest} is the head of a stable sort, ties (frequent: 8-bit weights) included. */
    @Test
    void largestIsTheHeadOfAStableSort() {
        Random random = new Random(9);
        for (int k = 0; k < 2000; k++) {
            Map<Integer, Double> map = new HashMap<>();
            for (int i = random.nextInt(3000); i > 0; i--) {
                map.merge(random.nextInt(InjectionFeatures.BUCKETS), (random.nextInt(9) - 4) * 0.25, Double::sum);
            }
            List<Map.Entry<Integer, Double>> sorted = new ArrayList<>(map.entrySet());
            sorted.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
            int top = random.nextInt(12);
            assertEquals(sorted.subList(0, Math.min(top, sorted.size())), InjectionModel.largest(map, top));
        }
    }

    /** {@link InjectionModel.Tally} gives the sums, their map order and first ends that merging each n-gram gave. */
    @Test
    void tallyEqualsAMergePerNgram() {
        Random random = new Random(13);
        byte[] q = new byte[InjectionFeatures.BUCKETS];
        random.nextBytes(q);
        String[] words = {"ignore", "you", "the", "a", "instructions", "dan", "x", " ", "  ", ". ", "\n", "(", "ü"};
        for (int k = 0; k < 600; k++) {
            StringBuilder b = new StringBuilder();
            for (int len = random.nextInt(k % 3 == 0 ? 6000 : 600); b.length() < len; ) {
                b.append(words[random.nextInt(words.length)]);
            }
            String t = b.toString();
            int after = random.nextInt(t.length() + 1);
            Map<Integer, Double> merged = new HashMap<>();
            Map<Integer, Integer> endOf = new HashMap<>();
            int[] total = {0};
            InjectionFeatures.ngrams(t, (bucket, end) -> {
                if (end > after) {
                    merged.merge(bucket, (double) q[bucket] * 0.01f, Double::sum);
                    endOf.putIfAbsent(bucket, end);
                    total[0]++;
                }
            });
            InjectionModel.Tally tally = new InjectionModel.Tally(t.length(), after);
            InjectionFeatures.ngrams(t, tally);
            assertEquals(new ArrayList<>(merged.entrySet()), new ArrayList<>(tally.sums(q, 0.01f).entrySet()));
            assertEquals(total[0], tally.total);
            endOf.forEach((bucket, end) -> assertEquals(end, tally.firstEnd(bucket)));
        }
    }
}
