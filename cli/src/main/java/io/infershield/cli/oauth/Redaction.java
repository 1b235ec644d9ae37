package io.infershield.cli.oauth;

/** How a credential may be shown: enough to recognise it, never enough to use it. */
public final class Redaction {

    private static final int SHOWN = 8;

    private Redaction() {
    }

    /** {@code isk_AbCd…}: at most the first eight characters. */
    public static String prefix(String secret) {
        if (secret == null) {
            return "(none)";
        }
        return secret.substring(0, Math.min(SHOWN, secret.length() / 2)) + "…";
    }
}
