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
}
