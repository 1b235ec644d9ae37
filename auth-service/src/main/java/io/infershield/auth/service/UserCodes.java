package io.infershield.auth.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * User codes (RFC 8628 §6.1): eight characters from 20 consonants that cannot be confused or spell words, shown as
 * {@code XXXX-XXXX}: 20^8 ≈ 2^34.5 codes.
 */
@ApplicationScoped
public class UserCodes {

    /** The alphabet RFC 8628 §6.1 suggests: no vowels, so no words; no digits, so no 0/O or 1/I mix-ups. */
    public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private final RandomGenerator random;

    public UserCodes() {
        this(new SecureRandom());
    }

    UserCodes(RandomGenerator random) {
        this.random = random;
    }

    /** A new code in canonical form (no separator). */
    public String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            // nextInt(bound) rejects out-of-range draws, so every letter is equally likely (no modulo bias)
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /** The display form of a canonical code: {@code XXXX-XXXX}. */
    public static String display(String canonical) {
        return canonical.substring(0, LENGTH / 2) + "-" + canonical.substring(LENGTH / 2);
    }

    /**
     * The canonical form of what a user typed: case is ignored, and so are dashes and spaces (RFC 8628 §6.1).
     * Empty when the input cannot be a code.
     */
    public static Optional<String> normalize(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String code = input.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(code);
    }
}
