package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.CredentialKind;
import io.infershield.auth.entity.GatewayCredential;
import io.infershield.auth.repository.GatewayCredentialRepository;
import io.infershield.events.AuthEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A signed-in user's own credentials, for the account page: listing them, creating personal keys and revoking. Every
 * operation is bound to the subject it is given, so a user never reaches another user's credential.
 */
@ApplicationScoped
public class AccountCredentials {

    /** The client id personal keys carry, since no OAuth client issued them; introspection reports it. */
    public static final String PERSONAL_KEY_CLIENT = "personal-key";

    /** 1..64 characters that print: no control, format, private-use, unassigned or line-separating characters. */
    private static final Pattern KEY_NAME = Pattern.compile("[^\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}]{1,64}");

    private final AuthConfig config;
    private final Clock clock;
    private final GatewayCredentialRepository credentials;
    private final CredentialService credentialService;
    private final AuthEvents events;
    private final DisabledUsers disabledUsers;

    AccountCredentials(AuthConfig config, Clock clock, GatewayCredentialRepository credentials,
                       CredentialService credentialService, AuthEvents events, DisabledUsers disabledUsers) {
        this.disabledUsers = disabledUsers;
        this.config = config;
        this.clock = clock;
        this.credentials = credentials;
        this.credentialService = credentialService;
        this.events = events;
    }

    /** A personal key just created; the only time its raw value exists. */
    public record CreatedKey(String key, GatewayCredential credential) {
    }

    /** The longest lifetime a personal key may be given, in whole days. */
    public long maxLifetimeDays() {
        return config.personalKey().maxLifetime().toDays();
    }

    /** The lifetime the page offers by default, in whole days. */
    public long defaultLifetimeDays() {
        return config.personalKey().defaultLifetime().toDays();
    }

    /** The credentials of {@code subject} that may still be used now. */
    public Uni<List<GatewayCredential>> liveOf(String subject) {
        return Panache.withSession(() -> credentials.findLiveOf(subject, clock.instant()));
    }

    /**
     * Creates a personal key for {@code subject}, carrying the {@code groups} of the session or credential that
     * creates it, and records its issuance. Fails with {@link InvalidPersonalKey} for a name that is empty, too long or
     * not printable, and for a lifetime outside 1 day to the configured maximum; with {@link UserDisabled} for a
     * disabled user.
     */
    public Uni<CreatedKey> createPersonalKey(String subject, List<String> groups, String name, String days) {
        String keyName = validName(name);
        Duration lifetime = Duration.ofDays(validDays(days));
        String key = Secrets.CREDENTIAL_PREFIX + Secrets.randomToken();
        UUID id = UUID.randomUUID();
        GatewayCredential credential = credentialService.newCredential(CredentialKind.PERSONAL_KEY, key, id, subject,
                PERSONAL_KEY_CLIENT, config.personalKey().scope(), groups, clock.instant(), lifetime);
        credential.id = id;
        credential.name = keyName;
        return Panache.withTransaction(() -> disabledUsers.requireEnabled(subject)
                .chain(() -> credentials.persist(credential))
                .call(() -> events.record(AuthEvent.CREDENTIAL_ISSUED, subject, new AuthEvent(PERSONAL_KEY_CLIENT,
                        null, credential.id, AuthEvent.PERSONAL_KEY, null, null))))
                .replaceWith(new CreatedKey(key, credential));
    }

    private static String validName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (!KEY_NAME.matcher(stripped).matches()) {
            throw new InvalidPersonalKey("Give the key a name of 1 to 64 printable characters.");
        }
        return stripped;
    }

    private long validDays(String days) {
        long max = maxLifetimeDays();
        long value;
        try {
            value = Long.parseLong(days == null ? "" : days.strip());
        } catch (NumberFormatException notANumber) {
            throw new InvalidPersonalKey("Enter the lifetime as a whole number of days from 1 to " + max + ".");
        }
        if (value < 1 || value > max) {
            throw new InvalidPersonalKey("A key can live from 1 to at most " + max + " days; " + value
                    + " is not allowed.");
        }
        return value;
    }

    /**
     * Revokes a credential of {@code subject}: a personal key alone, a device credential with its whole family, since
     * the family's refresh token would otherwise mint a new one (RFC 7009 §2.1). False when {@code subject} has no
     * credential with this id, so another user's id is indistinguishable from an unknown one.
     */
    public Uni<Boolean> revokeOwn(String subject, UUID id) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> credentials.findOwned(id, subject).flatMap(credential -> {
            if (credential == null) {
                return Uni.createFrom().item(false);
            }
            return credentials.revokeFamily(credential.familyId, now)
                    .call(revoked -> credentialService.recordRevoked(credential, revoked,
                            AuthEvent.REASON_SELF_SERVICE))
                    .replaceWith(true);
        }));
    }
}
