package io.infershield.proxy.service;

import io.infershield.events.SecurityFinding;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.security.Redactor;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Turns a finding into what an audit event may carry (product.md: findings, redacted excerpts and hashes, never raw
 * secrets or prompts). The hash is a keyed HMAC-SHA256 of the matched text, cut to 16 hex digits: the same secret
 * gives the same hash across events, so a SIEM can follow a leaked key, but without the key the hash cannot be
 * brute-forced back into a short secret such as a card number.
 */
@ApplicationScoped
public class FindingAudit {

    /**
     * Prefixes that vendors put in front of their tokens so that scanners can recognise them: public by design, they
     * tell the reader which key leaked without telling anything of the key. Longest first.
     */
    private static final List<String> PUBLIC_PREFIXES = List.of("-----BEGIN", "github_pat_", "dckr_pat_", "sk-or-v1-",
            "sk-proj-", "GOCSPX-", "sk-ant-", "whsec_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxe-", "xapp-", "pypi-", "ghp_",
            "gho_", "ghu_", "ghs_", "ghr_", "isk_", "isr_", "npm_", "gsk_", "xai-", "AKIA", "ASIA", "AIza", "hf_", "sk-");

    private final SecretKeySpec key;

    FindingAudit(ProxyConfig config) {
        String secret = config.security().auditHashKey();
        if (secret.length() < 16) {
            throw new IllegalStateException("proxy.security.audit-hash-key (PROXY_AUDIT_HASH_KEY) must have at least 16 chars");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * @param finding  the finding, with the offsets the event reports
     * @param matched  the text it covers; only its keyed hash and, for some secrets, a public prefix leave this method
     * @param location the JSON Pointer of the text in the request or answer
     */
    public SecurityFinding of(Finding finding, String matched, Direction direction, PolicyAction action,
            String location) {
        boolean injection = finding.category() == Category.PROMPT_INJECTION;
        return new SecurityFinding(finding.category().wire(), finding.type(), direction.name().toLowerCase(Locale.ROOT),
                finding.start(), finding.end(), finding.score(), action.wire(),
                injection ? null : hash(matched), excerpt(finding, matched), location);
    }

    /** Injection: the rule type only, nothing of the prompt. Secrets: a public vendor prefix at most. */
    static String excerpt(Finding finding, String matched) {
        String placeholder = Redactor.placeholder(finding.type());
        if (finding.category() == Category.PROMPT_INJECTION) {
            return finding.type();
        }
        if (finding.category() == Category.SECRET) {
            for (String prefix : PUBLIC_PREFIXES) {
                if (matched.startsWith(prefix) && matched.length() > prefix.length() + 8) {
                    return prefix + "…" + placeholder;
                }
            }
        }
        return placeholder;
    }

    private String hash(String matched) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(matched.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
