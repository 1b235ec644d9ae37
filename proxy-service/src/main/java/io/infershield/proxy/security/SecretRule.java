package io.infershield.proxy.security;

import com.google.re2j.Pattern;

/**
 * A provider-specific secret rule in the style of gitleaks: cheap keywords gate an RE2 pattern (linear time),
 * then entropy, edges and placeholders decide.
 *
 * @param id         rule id, reported as the finding type
 * @param keywords   lower-case ASCII strings, at least one of which occurs in every match
 * @param pattern    RE2 syntax; group 1, when present, is the secret itself
 * @param minEntropy minimum Shannon entropy (bits/char) of the secret, 0 for none
 * @param edge       which neighbour chars make a match part of a longer token and so not this secret
 * @param reach      how far from a keyword hit the match may extend, in chars
 * @param score      confidence 0-100
 */
record SecretRule(String id, String[] keywords, Pattern pattern, double minEntropy, Edge edge, int reach, int score) {

    /** Neighbour chars that disqualify a match: a token glued to letters is some other identifier. */
    enum Edge {
        /** no check */
        NONE,
        /** letters, digits and underscore on either side */
        WORD,
        /** WORD, plus {@code - . + / =} after the match: for fixed-length tokens */
        STRICT
    }

    static SecretRule of(String id, String keywords, String regex, double minEntropy, Edge edge, int score) {
        return new SecretRule(id, keywords.split(","), Pattern.compile(regex), minEntropy, edge, 600, score);
    }

    SecretRule withReach(int newReach) {
        return new SecretRule(id, keywords, pattern, minEntropy, edge, newReach, score);
    }
}
