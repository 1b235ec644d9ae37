package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PiiDetectorTest {

    private final PiiDetector detector = new PiiDetector();

    private List<Finding> scan(String text) {
        return detector.scan(text, Direction.REQUEST);
    }

    private static void assertOnly(List<Finding> found, String type, int start, int end) {
        assertEquals(1, found.size(), () -> "findings: " + found);
        assertEquals(Category.PII, found.get(0).category());
        assertEquals(type, found.get(0).type());
        assertEquals(start, found.get(0).start());
        assertEquals(end, found.get(0).end());
    }

    @Test
    void emailWithExactSpan() {
        assertOnly(scan("mail jane.doe+dev@corp.example.com today"), "email", 5, 34);
    }

    @Test
    void cardNumbersNeedAValidLuhnDigit() {
        assertOnly(scan("card 4532 2132 5425 4426 expires"), "credit_card", 5, 24);
        assertTrue(scan("card 4532 2132 5425 4427 expires").stream().noneMatch(f -> f.type().equals("credit_card")));
        assertTrue(PiiDetector.luhn("5213591727586604"));
        assertFalse(PiiDetector.luhn("5213591727586605"));
    }

    @Test
    void ibanNeedsMod97() {
        assertOnly(scan("pay to GB82 WEST 1234 5698 7654 32 now"), "iban", 7, 34);
        assertTrue(scan("pay to GB82 WEST 1234 5698 7654 33 now").stream().noneMatch(f -> f.type().equals("iban")));
        assertTrue(PiiDetector.ibanChecksumOk("DE89370400440532013000"));
        assertFalse(PiiDetector.ibanChecksumOk("DE89370400440532013001"));
    }

    @Test
    void ssnFollowsAllocationRules() {
        assertOnly(scan("my SSN: 531-21-7351."), "us_ssn", 8, 19);
        assertTrue(scan("id 666-21-7351").isEmpty());
        assertTrue(scan("id 000-21-7351").isEmpty());
        assertTrue(scan("id 901-21-7351").isEmpty());
        assertTrue(scan("id 531-00-7351").isEmpty());
    }

    @Test
    void ipv4AndIpv6WithValidOctetsAndGroups() {
        assertOnly(scan("blocked 98.85.59.159 today"), "ip_address", 8, 20);
        assertTrue(scan("version 256.1.1.1").isEmpty());
        assertOnly(scan("from 3b20:9a3a:1b2f:7ce:9ef1:4787:85fc:261e x"), "ip_address", 5, 43);
        assertOnly(scan("from fe80::1ff:fe23:4567:890a x"), "ip_address", 5, 29);
        assertTrue(scan("at 12:30:45 sharp").isEmpty());
    }

    @Test
    void phonesByShapeOrByContext() {
        assertOnly(scan("Fax: 001-420-335-7509x38548"), "phone", 5, 27);
        assertOnly(scan("call me at (07) 5331 0577?"), "phone", 11, 25);
        assertTrue(scan("Apt. 722 20 40 rue Victor").isEmpty());
        assertTrue(scan("When: 1970-11-23 02:26:26").isEmpty());
    }

    @Test
    void ipv6IsFoundFromItsColonsWithExactSpanAndHexWordsAreNot() {
        String text = "deadbeef cafe face: fe80::1ff:fe23:4567:890a, at 12:30:45";
        List<Finding> found = detector.scan(text, Direction.REQUEST);
        assertOnly(found, "ip_address", 20, 44);
    }

    @Test
    void numbersOfCodeAndLogsAreNotPhonesCardsOrAddresses() {
        // Unix times, ids and byte counts: a bare run of 10-12 digits is a phone only next to a phone word
        assertTrue(scan("{\"created\": 1736046562, \"expires_at\": 1783012662}").isEmpty());
        assertTrue(scan("WHERE user_id = 837659610 AND session_id = 8414653019").isEmpty());
        assertTrue(scan("RX packets 58949711  bytes 37551047896 (79.2 GB)").isEmpty());
        assertOnly(scan("call me on 4155550132 tomorrow"), "phone", 11, 21);
        // OIDs and ISBNs: five groups or more with a single digit; a French number in pairs is still a phone
        assertTrue(scan("Policy: 2.23.140.1.2.1\nPolicy: 1.3.6.1.4.1.42597.1.8").isEmpty());
        assertTrue(scan("catalog import: ISBN 978-7-218-49607-6 and 978-3-636-75052-4").isEmpty());
        assertOnly(scan("tel. 02.27.96.63.08"), "phone", 5, 19);
        // a grouped card number starts with a group of four
        assertTrue(scan("Order 938-9850502-8972790 shipped").isEmpty());
        // versions named as such are no addresses; an address in the same kind of line is
        assertTrue(scan("Firmware upgrade path: 5.3.8.52 -> 7.6.9.1").isEmpty());
        // a flow log's arrow joins two addresses
        List<Finding> flow = scan("DENY tcp 192.168.1.5:443 -> 10.0.0.12:51234");
        assertEquals(2, flow.size(), flow::toString);
        assertTrue(scan("[assembly: AssemblyVersion(\"5.19.41.236\")] v1.2.3.4").isEmpty());
        assertOnly(scan("db-primary\n10.22.234.230   db-replica"), "ip_address", 11, 24);
    }

    @Test
    void anSsnInParenthesesOrNamedByItsFieldIsAnSsnAndDigitsInsideAnIbanAreOnlyTheIban() {
        assertOnly(scan("the SSN in plain text (339-01-2523) in column F"), "us_ssn", 23, 34);
        assertOnly(scan("mismatch: provided_ssn=038241138 expected"), "us_ssn", 23, 32);
        assertTrue(scan("order=038241138 shipped").isEmpty(), "nine bare digits without a cue are no SSN");
        assertOnly(scan("auf mein Konto DE10 0805 9787 7998 8288 44. Danke"), "iban", 15, 42);
    }

    @Test
    void shortNumbersAndDatesAreNotPhones() {
        assertTrue(detector.scan("pool_size: 16, timeout 3000, on 2024-01-31, port 5432", Direction.REQUEST).isEmpty());
    }

    @Test
    void theDigitMapMarksExactlyTheAsciiDigits() {
        java.util.Random random = new java.util.Random(9);
        // U+0130 and U+FF10 have '0' as their low byte; U+0663 is an Arabic-Indic digit, not an ASCII one; the
        // longer texts span several of the map's 4096-char blocks, and a surrogate pair (or a lone half) may
        // straddle a block's edge
        String alphabet = "0123456789/:a Z\u0130\uFF10\u0663\u00B9\u00E9\uD83D\uDE00\uD83D";
        for (int k = 0; k < 500; k++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(k < 300 ? 140 : 10_000); i > 0; i--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = b.toString();
            long[] want = new long[(t.length() >> 6) + 1];
            for (int i = 0; i < t.length(); i++) {
                if (t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                    want[i >> 6] |= 1L << i;
                }
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(want, PiiDetector.digitMap(t), t);
        }
    }
}
