package io.infershield.testkit.infra;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random secrets for a stack: nothing the stack uses is a committed value. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 32 random bytes, base64url without padding. */
    public static String random() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    /** 32 random bytes, standard base64: the shape of an AES-256 master key. */
    public static String aesKey() {
        return Base64.getEncoder().encodeToString(bytes(32));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
