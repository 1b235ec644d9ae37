package io.infershield.events;

import java.util.UUID;

/**
 * Body of every {@code auth.link.*} event (version 1), published by auth-service on {@code auth-events} while a developer
 * links an upstream account (RFC 8628 client side). The envelope's subject is the developer. It never carries the device
 * code, the user code or a token the provider returned.
 *
 * @param linkId   the link session, as returned by {@code POST /v1/links/{provider}}
 * @param provider the configured provider name, for example {@code github}, {@code openai} or {@code corp-idp}
 * @param error    the provider's error code or the gateway's reason for {@link #FAILED}, otherwise {@code null}
 */
public record LinkEvent(UUID linkId, String provider, String error) {

    public static final int VERSION = 1;

    /** The developer started a link; the provider issued a user code. */
    public static final String STARTED = "auth.link.started";
    /** The provider issued a token and token-service holds it. */
    public static final String LINKED = "auth.link.linked";
    /** The developer refused at the provider ({@code access_denied}). */
    public static final String DENIED = "auth.link.denied";
    /** The user code expired before the developer approved it. */
    public static final String EXPIRED = "auth.link.expired";
    /** The provider answered another error or an unusable response, or the token could not be stored. */
    public static final String FAILED = "auth.link.failed";
    /** The developer cancelled a pending link, or started a new one for the same provider. */
    public static final String CANCELLED = "auth.link.cancelled";
    /** The developer removed a linked account. */
    public static final String DELETED = "auth.link.deleted";
}
