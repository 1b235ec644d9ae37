package io.infershield.proxy.security;

import com.google.re2j.Pattern;

/**
 * A provider-specific secret rule in the style of gitleaks: cheap keywords gate an RE2 pattern (linear time),
 * then entropy, edges and placeholders decide.
 *
 * <p>Most rules match one token: a run of chars without blanks, quotes or brackets. For those the pattern only
 * runs on the token around a keyword hit, and only when that token is at least {@code minLength} long, so a
 * frequent keyword ({@code .}, {@code sk}) costs a length check, not a regex run. Rules whose match spans blanks
 * or quotes ({@code aws_secret = "…"}, PEM blocks, {@code curl -u}) are {@code context} rules and run on a window
 * of {@code reach} chars around the hit.
 *
 * @param id         rule id, reported as the finding type
 * @param keywords   lower-case ASCII strings, at least one of which occurs in every match
 * @param pattern    RE2 syntax; group 1, when present, is the secret itself
 * @param minEntropy minimum Shannon entropy (bits/char) of the secret, 0 for none
 * @param edge       which neighbour chars make a match part of a longer token and so not this secret
 * @param reach      how far from a keyword hit the match may extend, in chars
 * @param score      confidence 0-100
 * @param context    the match may contain blanks, quotes or brackets (see above)
 * @param minLength  shortest token the pattern can match; shorter tokens around a hit are skipped
 * @param required   a char every match contains besides its keyword ({@code @} in {@code user:pass@host}), or 0
 * @param ownedName  an identifier (word) this rule decides alone, or null: the generic scanner does not judge a
 *                   value assigned to it, because the provider's documented format is the better model
 */
record SecretRule(String id, String[] keywords, Pattern pattern, double minEntropy, Edge edge, int reach, int score,
        boolean context, int minLength, char required, String ownedName) {

    /** Neighbour chars that disqualify a match: a token glued to letters is some other identifier. */
    enum Edge {
        /** no check */
        NONE,
        /** letters, digits and underscore on either side */
        WORD,
        /** WORD, plus {@code - . + / =} after the match: for fixed-length tokens */
        STRICT,
        /** WORD after the match only: the token may be glued to chars before it (detect-secrets matches it inside
         * a longer run, as its Discord tests require) */
        RIGHT
    }

    /** Provider tokens are at least 20 chars; the few shorter formats lower it with {@link #withMinLength}. */
    static SecretRule of(String id, String keywords, String regex, double minEntropy, Edge edge, int score) {
        return new SecretRule(id, keywords.split(","), Pattern.compile(regex), minEntropy, edge, 600, score, false, 20,
                (char) 0, null);
    }

    SecretRule withReach(int newReach) {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, newReach, score, context, minLength, required, ownedName);
    }

    SecretRule inContext() {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, reach, score, true, 0, required, ownedName);
    }

    SecretRule withRequired(char c) {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, reach, score, context, minLength, c, ownedName);
    }

    SecretRule withMinLength(int chars) {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, reach, score, context, chars, required, ownedName);
    }

    SecretRule ownsName(String name) {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, reach, score, context, minLength, required, name);
    }
}
