package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detector's speed work (the digit map a block at a time, one pass over the digit runs for IPv4, IBANs and
 * digit groups behind cheap necessary conditions, IPv6 passing over lone colons) must not change a single finding:
 * random and adversarial texts are scanned by the detector and by {@link PiiDetectorReference}, the scanners as
 * they were before, and the findings must be equal.
 */
class PiiDetectorEquivalenceTest {

    private final PiiDetector detector = new PiiDetector();
    private final PiiDetectorReference reference = new PiiDetectorReference();

    /** PII and near misses: addresses, IBANs, cards, SSNs, phones, dates, times, e-mails, bare numbers. */
    private static final String[] SHAPES = {"192.168.0.1", "10.0.0.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5",
        "1234.1.1.1", "1.2.3.4a", "98.85.59.159", "fe80::1ff:fe23:4567:890a", "2001:db8::1", "::1",
        "1:2:3:4:5:6:7:8", "12:30:45", "a:b:c", "dead:beef::cafe", "3b20:9a3a:1b2f:7ce:9ef1:4787:85fc:261e",
        "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 33",
        "4532 2132 5425 4426", "4532-2132-5425-4426", "4532213254254426", "5213591727586604", "531-21-7351",
        "SSN 531 21 7351", "666-21-7351", "+1 (555) 123-4567", "(07) 5331 0577", "001-420-335-7509x38548",
        "555.123.4567", "call 555 123 4567", "2024-01-31", "31.01.2024", "12345", "007", "3.14", "jane@x.io",
        "12345678@x.com", "+44 20 7946 0958", "1) 2 3", "(555)123-4567", "x123", "1234567890123456789012345678901234567890"};
    /** Separators and neighbours that end, join or disqualify a shape. */
    private static final String SEPARATORS = "     ..--()+xX::/@,;aZ\n\u00e9\u0663\uFF10";
    private static final String CHARS = "0123456789012345678901234567890123456789      ..--()+xX::/@abcdefABCDEFGBDEzq\n,;_"
            + "\u00e9\u0663\uFF10";

    @Test
    void findsExactlyWhatTheReferenceFindsInRandomText() {
        Random random = new Random(21);
        for (int k = 0; k < 8000; k++) {
            StringBuilder b = new StringBuilder();
            for (int p = random.nextInt(k < 6000 ? 8 : 60); p >= 0; p--) {
                if (random.nextBoolean()) {
                    b.append(SHAPES[random.nextInt(SHAPES.length)]);
                } else {
                    b.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
                }
            }
            assertSame(b.toString());
        }
    }

    /** Char by char from digits and separators: digit groups of every shape, runs glued and cut anywhere. */
    @Test
    void findsExactlyWhatTheReferenceFindsInRandomChars() {
        Random random = new Random(22);
        for (int k = 0; k < 8000; k++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(k < 6000 ? 40 : 300); i > 0; i--) {
                if (random.nextInt(12) == 0) {
                    b.append(SHAPES[random.nextInt(SHAPES.length)]);
                } else {
                    b.append(CHARS.charAt(random.nextInt(CHARS.length())));
                }
            }
            assertSame(b.toString());
        }
    }

    /**
     * Texts longer than the digit map's 4096-char blocks, with shapes across the blocks' and the 64-bit words'
     * edges, and surrogate pairs cut by a block edge now and then.
     */
    @Test
    void findsExactlyWhatTheReferenceFindsAcrossBlocks() {
        Random random = new Random(23);
        for (int k = 0; k < 60; k++) {
            StringBuilder b = new StringBuilder();
            int length = 4000 + random.nextInt(9000);
            while (b.length() < length) {
                int pick = random.nextInt(10);
                if (pick == 0) {
                    b.append(SHAPES[random.nextInt(SHAPES.length)]);
                } else if (pick == 1) {
                    b.append("\uD83D\uDE00");
                } else {
                    b.append(CHARS.charAt(random.nextInt(CHARS.length())));
                }
            }
            assertSame(b.toString());
        }
    }

    @Test
    void findsExactlyWhatTheReferenceFindsInEdgeCases() {
        for (String text : List.of("", "1", ":", "::", "1.", "+1", "(1", "GB82", "1".repeat(5000), "1 ".repeat(3000),
                "1.2.3.4 ".repeat(1000), "a1".repeat(3000), "12:".repeat(2000), "\uD83D" + "4532 2132 5425 4426")) {
            assertSame(text);
        }
    }

    /** The test texts do hold findings of every type. */
    @Test
    void theRandomTextsHoldEveryKindOfFinding() {
        Random random = new Random(21);
        StringBuilder types = new StringBuilder();
        for (int k = 0; k < 2000; k++) {
            StringBuilder b = new StringBuilder();
            for (int p = random.nextInt(8); p >= 0; p--) {
                b.append(random.nextBoolean() ? SHAPES[random.nextInt(SHAPES.length)]
                        : String.valueOf(SEPARATORS.charAt(random.nextInt(SEPARATORS.length()))));
            }
            for (Finding f : detector.scan(b.toString(), Direction.REQUEST)) {
                types.append(f.type()).append(':').append(f.explanation()).append(' ');
            }
        }
        for (String kind : List.of("validator:ipv4", "validator:ipv6", "iban", "credit_card", "us_ssn",
                "phone-shape ", "phone-shape+context", "email")) {
            assertTrue(types.indexOf(kind) >= 0, kind);
        }
    }

    private void assertSame(String text) {
        assertEquals(reference.scan(text, Direction.REQUEST), detector.scan(text, Direction.REQUEST), () -> text);
    }
}
