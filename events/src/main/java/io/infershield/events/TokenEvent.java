package io.infershield.events;

/**
 * Body of every {@code token.*} event (version 1), published by token-service on {@code token-events} for each access to
 * the token vault. The envelope's subject is the user whose token it is ({@code null} for a tenant's org key). It never
 * carries a token, a ciphertext or a hash of either.
 *
 * @param actor      who asked: {@code proxy-service}, {@code auth-service}, {@code refresh-scheduler}, or the subject of an
 *                   administrator
 * @param provider   the provider the token is for, for example {@code github} or {@code openai}
 * @param credential {@link #USER_TOKEN} or {@link #ORG_KEY}
 * @param purpose    why it was asked for, for example {@code proxy-request}, {@code link}, {@code refresh}, {@code admin}
 * @param outcome    one of the {@code OUTCOME_*} values
 * @param keyVersion the encryption key version involved, or {@code null} when no ciphertext was touched
 * @param reason     the provider's or the vault's error code when the outcome is not a success, otherwise {@code null}
 */
public record TokenEvent(String actor, String provider, String credential, String purpose, String outcome,
        String keyVersion, String reason) {

    public static final int VERSION = 1;

    /** A token was stored (a new link, or an org key set by an administrator). */
    public static final String STORED = "token.stored";
    /** A token was decrypted and handed to a caller. */
    public static final String READ = "token.read";
    /** A token was refreshed at the provider (a new access token, a rotated refresh token, or a new Copilot token). */
    public static final String REFRESHED = "token.refreshed";
    /** A ciphertext was re-encrypted under the current key version. */
    public static final String ROTATED = "token.rotated";
    /** A token was revoked at the provider where it supports that, and its ciphertext removed. */
    public static final String REVOKED = "token.revoked";
    /** A refresh failed permanently; the link is broken until the developer links again. */
    public static final String LINK_BROKEN = "token.link_broken";

    public static final String USER_TOKEN = "user-token";
    public static final String ORG_KEY = "org-key";

    public static final String OUTCOME_SUCCESS = "success";
    /** The caller was not allowed to act on this user's or tenant's token. */
    public static final String OUTCOME_DENIED = "denied";
    public static final String OUTCOME_NOT_FOUND = "not_found";
    /** The ciphertext failed authentication: tampered with, or bound to another user. */
    public static final String OUTCOME_TAMPERED = "tampered";
    /** The vault or the provider failed; {@code reason} says how. */
    public static final String OUTCOME_FAILED = "failed";
}
