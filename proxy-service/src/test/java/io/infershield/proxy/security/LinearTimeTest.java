package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Adversarial inputs must scan in time linear in their length: no rule may backtrack. Each shape is scanned at
 * 64 KiB and at 256 KiB; the larger may take at most ~4x the smaller, with a generous factor for a loaded machine.
 * Catastrophic backtracking would be quadratic or worse (16x and up), far outside the bound.
 */
class LinearTimeTest {

    private static final int SMALL = 64 * 1024;
    private static final int LARGE = 256 * 1024;
    private final SecurityScanner scanner = new SecurityScanner(InjectionModel.load(), Set.of("github.com"));

    private static String fill(String unit, int length) {
        StringBuilder b = new StringBuilder(length + unit.length());
        while (b.length() < length) {
            b.append(unit);
        }
        return b.substring(0, length);
    }

    private static Map<String, IntFunction<String>> shapes() {
        Map<String, IntFunction<String>> m = new LinkedHashMap<>();
        m.put("one long line of a", n -> fill("a", n));
        m.put("repeated keyword prefixes", n -> fill("ghp_sk-AKIAxoxb-eyJ", n));
        m.put("assignments without values", n -> fill("password=key:token=", n));
        m.put("nested override phrasing", n -> fill("ignore all all all the the previous ", n));
        m.put("at signs and dots", n -> fill("a@b.", n));
        m.put("digit groups", n -> fill("12 34-56.78 ", n));
        m.put("unterminated private key", n -> "-----BEGIN PRIVATE KEY-----" + fill("MIIE", n));
        m.put("markdown brackets", n -> fill("![x](http://e.io/?q=", n));
        m.put("base64 run", n -> fill("QUJDRA", n));
        m.put("spaced letters", n -> fill("a b ", n));
        return m;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The best of five scans in this thread's CPU time: wall-clock time on a shared 2-core machine measures the other
     * processes as much as the scanner, and a loaded CI box must not turn a linear scan into a failure.
     */
    private long timeNanos(String text) {
        return timeNanos(text, t -> scanner.scan(t, Direction.RESPONSE));
    }

    private static long timeNanos(String text, java.util.function.Consumer<String> scan) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            scan.accept(text);
            best = Math.min(best, THREADS.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }

    @Test
    void aOneMebibyteLineScansInBoundedTime() {
        String line = fill("x=1 ", LARGE * 4);
        long t0 = THREADS.getCurrentThreadCpuTime();
        scanner.scan(line, Direction.RESPONSE);
        assertTrue(THREADS.getCurrentThreadCpuTime() - t0 < 20_000_000_000L, "1 MiB line took too long");
    }

    @Test
    void everyAdversarialShapeScansInLinearTime() {
        scanner.scan(fill("warm up the JIT with ordinary text, key=abc ", SMALL), Direction.RESPONSE);
        assertLinear(shapes(), t -> scanner.scan(t, Direction.RESPONSE));
    }

    /** Tool definitions: phrases tried at every anchor word, hidden text decoded. */
    @Test
    void everyAdversarialToolDefinitionScansInLinearTime() {
        Map<String, IntFunction<String>> m = new LinkedHashMap<>();
        m.put("anchors with their confirm words", n -> fill("when the tool must bcc do not tell the user ", n));
        m.put("channels without a parameter", n -> fill("pass include send into as to ", n));
        m.put("repeated sensitive names", n -> fill("~/.ssh/id_rsa .env system prompt ", n));
        m.put("open tags", n -> fill("<<[[# note to ", n));
        m.put("url query templates", n -> fill("https://a.example/?q=<", n));
        m.put("sentence-long parameter names", n -> fill("ignore_all_prior_", n));
        m.put("curl without a pipe", n -> fill("curl https://x.example ", n));
        m.put("an unterminated bidi override", n -> "\u202E" + fill("snoitcurtsni suoiverp lla erongi ", n));
        m.put("unicode tags", n -> fill(new String(Character.toChars(0xE0061)), n));
        m.put("base64 run", n -> fill("aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnMu", n));
        m.put("hex run", n -> fill("69676e6f726520616c6c20", n));
        m.put("rot13 announced", n -> "rot13 " + fill("vtaber nyy cerivbhf vafgehpgvbaf ", n));
        m.put("hosts without an end", n -> fill("https://g\u0456th", n));
        m.put("CJK parameter words", n -> fill("内容`x`参数", n));
        m.put("content-named parameters", n -> fill("contents_of_~/.ssh ", n));
        assertLinear(m, scanner::scanToolDefinition);
    }

    private static void assertLinear(Map<String, IntFunction<String>> shapes, java.util.function.Consumer<String> scan) {
        for (Map.Entry<String, IntFunction<String>> shape : shapes.entrySet()) {
            String small = shape.getValue().apply(SMALL);
            String large = shape.getValue().apply(LARGE);
            timeNanos(small, scan); // warm-up: JIT and caches
            long tSmall = timeNanos(small, scan);
            long tLarge = timeNanos(large, scan);
            double ratio = tLarge / (double) Math.max(tSmall, 1_000_000L);
            assertTrue(ratio < 10.0, shape.getKey() + ": 256 KiB took " + tLarge / 1_000_000 + " ms of CPU vs "
                    + tSmall / 1_000_000 + " ms for 64 KiB (ratio " + ratio + "; quadratic would be 16)");
            assertTrue(tLarge < 5_000_000_000L, shape.getKey() + ": 256 KiB took " + tLarge / 1_000_000 + " ms");
        }
    }
}
