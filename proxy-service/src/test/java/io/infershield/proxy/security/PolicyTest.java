package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static final Finding EMAIL = new Finding(Category.PII, "email", 5, 21, 95, "validator:email");
    private static final Finding WEAK_INJECTION = new Finding(Category.PROMPT_INJECTION, "learned_model", 0, 10, 40, "m");
    private static final Finding SECRET = new Finding(Category.SECRET, "github-pat", 30, 70, 95, "rule:github-pat");

    @Test
    void defaultPolicyRedactsPersonalDataAndIgnoresFindingsBelowThreshold() {
        Decision d = Policy.defaults().decide(List.of(EMAIL, WEAK_INJECTION));
        assertEquals(PolicyAction.REDACT, d.action());
        assertEquals(95, d.score());
        assertEquals(List.of(EMAIL), d.redact());
        assertEquals("redact", d.contractDecision());
    }

    @Test
    void mostSevereActionWins() {
        Policy p = Policy.defaults().with(Category.SECRET, new CategoryPolicy(50, PolicyAction.BLOCK));
        assertEquals(PolicyAction.BLOCK, p.decide(List.of(EMAIL, SECRET)).action());
    }

    @Test
    void alertLetsTrafficThrough() {
        Policy p = Policy.defaults().with(Category.PII, new CategoryPolicy(10, PolicyAction.ALERT));
        Decision d = p.decide(List.of(EMAIL));
        assertEquals(PolicyAction.ALERT, d.action());
        assertEquals("allow", d.contractDecision());
        assertEquals(List.of(), d.redact());
    }

    @Test
    void groupOverridesTenantWhichOverridesDefaultPerCategory() {
        PolicyBook book = new PolicyBook(Policy.defaults());
        book.setTenantRule("acme", Category.PII, new CategoryPolicy(10, PolicyAction.ALLOW));
        book.setGroupRule("acme", "finance", Category.PII, new CategoryPolicy(10, PolicyAction.BLOCK));
        assertEquals(PolicyAction.ALLOW, book.resolve("acme", "dev").rule(Category.PII).action());
        assertEquals(PolicyAction.BLOCK, book.resolve("acme", "finance").rule(Category.PII).action());
        assertEquals(PolicyAction.REDACT, book.resolve("acme", "finance").rule(Category.SECRET).action());
        assertEquals(PolicyAction.REDACT, book.resolve("other", null).rule(Category.PII).action());
        book.clearRule("acme", "finance", Category.PII);
        assertEquals(PolicyAction.ALLOW, book.resolve("acme", "finance").rule(Category.PII).action());
    }

    @Test
    void thresholdsOutsideTheScaleAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CategoryPolicy(101, PolicyAction.BLOCK));
    }

    @Test
    void redactorReplacesSpansWithTypedPlaceholders() {
        String text = "mail jane.doe@example.com, key ghp_abc";
        List<Finding> f = List.of(new Finding(Category.PII, "email", 5, 25, 95, "e"),
                new Finding(Category.SECRET, "github-pat", 31, 38, 95, "s"));
        assertEquals("mail [REDACTED:email], key [REDACTED:github-pat]", Redactor.redact(text, f));
    }

    @Test
    void overlappingSpansRedactOnce() {
        List<Finding> f = List.of(new Finding(Category.SECRET, "a", 2, 8, 90, "x"),
                new Finding(Category.PII, "b", 4, 10, 90, "y"));
        assertEquals("ab[REDACTED:a]kl", Redactor.redact("abcdefghijkl", f));
    }
}
