package io.infershield.proxy.service;

import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.Finding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An audit excerpt names at most the public prefix a vendor puts in front of its tokens, never the token. */
class FindingExcerptTest {

    private static String excerpt(String type, String matched) {
        return FindingAudit.excerpt(new Finding(Category.SECRET, type, 0, matched.length(), 90, "rule:" + type), matched);
    }

    @Test
    void theLongestPublicPrefixIsKept() {
        assertEquals("sk-or-v1-…[REDACTED:openrouter-api-key]",
                excerpt("openrouter-api-key", "sk-or-v1-" + "a1".repeat(32)));
        assertEquals("gsk_…[REDACTED:groq-api-key]", excerpt("groq-api-key", "gsk_" + "Ab3".repeat(16)));
        assertEquals("AIza…[REDACTED:google-api-key]", excerpt("google-api-key", "AIza" + "Sy3".repeat(12)));
        assertEquals("sk-…[REDACTED:generic-credential]", excerpt("generic-credential", "sk-" + "x9".repeat(10)));
    }

    @Test
    void aShortMatchOrAnUnknownShapeLeavesOnlyThePlaceholder() {
        assertEquals("[REDACTED:groq-api-key]", excerpt("groq-api-key", "gsk_short"));
        assertEquals("[REDACTED:generic-credential]", excerpt("generic-credential", "hunter2-is-not-a-prefix"));
    }
}
