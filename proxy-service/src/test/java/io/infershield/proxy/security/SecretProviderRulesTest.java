package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The provider formats added for the tokens developers paste into IDE chats: per rule, a token with a random body
 * of the documented alphabet and length is found with exact offsets, and near misses (a length off by one, a
 * placeholder body, the prefix glued to a longer word, a wrong structure) are not. Bodies come from a seeded
 * generator, so no real credential is involved.
 */
class SecretProviderRulesTest {

    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String DIGITS = "0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz" + DIGITS;
    private static final String UPPER_ALNUM = UPPER + DIGITS;
    private static final String ALNUM = UPPER + LOWER_ALNUM;
    private static final String URL_SAFE = ALNUM + "_-";
    private static final String HEX = "0123456789abcdef";

    private final SecretDetector detector = new SecretDetector();
    private final Random random = new Random(20260115);

    /** A rule's realistic token and near misses that must not be reported. */
    private record Case(String type, String token, List<String> misses) {
    }

    private String body(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private Case of(String type, String token, String... misses) {
        return new Case(type, token, List.of(misses));
    }

    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(of("groq-api-key", "gsk_" + body(ALNUM, 48),
                "gsk_" + body(ALNUM, 47), "gsk_" + "x".repeat(48), "mygsk_" + body(ALNUM, 48)));
        c.add(of("xai-api-key", "xai-" + body(ALNUM, 80),
                "xai-" + body(ALNUM, 79), "xai-" + "X".repeat(80), "pxai-" + body(ALNUM, 80)));
        c.add(of("replicate-api-token", "r8_" + body(URL_SAFE, 36) + "Q",
                "r8_" + body(ALNUM, 36), "r8_" + body(ALNUM, 38), "car8_" + body(ALNUM, 37)));
        c.add(of("langsmith-api-key", "lsv2_pt_" + body(HEX, 32) + "_" + body(HEX, 10),
                "lsv2_xx_" + body(HEX, 32) + "_" + body(HEX, 10), "ls__" + body(HEX, 32),
                "lsv2_pt_" + body(HEX, 31) + "_" + body(HEX, 10)));
        c.add(of("langsmith-api-key", "lsv2_sk_" + body(HEX, 32) + "_" + body(HEX, 10)));
        c.add(of("tavily-api-key", "tvly-" + body(ALNUM, 32),
                "tvly-" + body(ALNUM, 19), "tvly-" + "x".repeat(32), "atvly-" + body(ALNUM, 32)));
        c.add(of("tavily-api-key", "tvly-dev-" + body(ALNUM, 32)));
        c.add(of("openrouter-api-key", "sk-or-v1-" + body(HEX, 64),
                "sk-or-v1-" + body(HEX, 63), "sk-or-v1-" + body(HEX, 65), "ask-or-v1-" + body(HEX, 64)));
        return c;
    }

    private String uuid() {
        return body(HEX, 8) + "-" + body(HEX, 4) + "-" + body(HEX, 4) + "-" + body(HEX, 4) + "-" + body(HEX, 12);
    }

    private List<Finding> scan(String text) {
        return detector.scan(text, Direction.REQUEST);
    }

    @TestFactory
    Stream<DynamicTest> eachFormatIsFoundWithExactOffsetsAndItsNearMissesAreNot() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.type() + " " + c.token().substring(0, 8), () -> {
            String text = "config: " + c.token() + "\n";
            List<Finding> found = scan(text);
            assertEquals(1, found.size(), () -> "findings: " + found);
            Finding f = found.get(0);
            assertEquals(Category.SECRET, f.category());
            assertEquals(c.type(), f.type());
            assertEquals(8, f.start());
            assertEquals(8 + c.token().length(), f.end());
            for (String miss : c.misses()) {
                List<Finding> none = scan("config: " + miss + "\n");
                assertTrue(none.isEmpty(), () -> miss + " -> " + none);
            }
        }));
    }

    @Test
    void quotedTokenInAnAssignmentIsFoundByItsProviderRule() {
        String token = "gsk_" + body(ALNUM, 48);
        String text = "client = Groq(api_key=\"" + token + "\")";
        List<Finding> found = scan(text);
        assertEquals(1, found.size(), () -> "findings: " + found);
        assertEquals("groq-api-key", found.get(0).type());
        assertEquals(text.indexOf(token), found.get(0).start());
    }

    @Test
    void aTruncatedValueWithAProviderPrefixIsLeftToThatProvidersRule() {
        // the generic scanner defers to the provider format: a cut-off gsk_ key is a sample, not a secret
        assertTrue(scan("GROQ_API_KEY=gsk_" + body(ALNUM, 20)).isEmpty());
        assertTrue(scan("STRIPE_WEBHOOK_SECRET=whsec_...").isEmpty());
        assertTrue(scan("GSK_API_KEY=gsk_" + "x".repeat(48)).isEmpty());
    }
}
