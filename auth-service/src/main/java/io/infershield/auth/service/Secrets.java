package io.infershield.auth.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random bearer secrets and the hashes that stand for them in storage. */
public final class Secrets {

    /** Prefix of gateway credentials, so secret scanners can recognise a leaked one. */
    public static final String CREDENTIAL_PREFIX = "isk_";

    /** Prefix of refresh tokens, distinct from access credentials so scanners and people can tell them apart. */
    public static final String REFRESH_TOKEN_PREFIX = "isr_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits, base64url without padding (RFC 8628 §5.2 asks for high entropy device codes). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of a secret; only this ever reaches the database. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares two secrets in time independent of where they differ, and of their lengths. */
    public static boolean constantTimeEquals(String presented, String expected) {
        return MessageDigest.isEqual(sha256(presented), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
