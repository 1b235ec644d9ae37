package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.repository.LinkRows.Seals;
import io.infershield.token.vault.Encryptor;
import io.infershield.token.vault.Sealed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;

/** Seals and opens the tokens of one link, each bound to the link's (tenant, user, provider). */
@ApplicationScoped
public class Sealer {

    private final Encryptor encryptor;

    Sealer(Encryptor encryptor) {
        this.encryptor = encryptor;
    }

    /**
     * Seals every token of a row afresh (new nonces, current key version). Null tokens stay null. Transit ciphertexts
     * carry their own version, so the row's key version is the access token's.
     */
    public Uni<Seals> sealAll(Access access, String accessToken, String refreshToken, String derivedToken) {
        return seal(access, accessToken).chain(a -> seal(access, refreshToken).chain(r -> seal(access, derivedToken)
                .map(d -> new Seals(a.keyVersion(), a.ciphertext(), r == null ? null : r.ciphertext(),
                        d == null ? null : d.ciphertext()))));
    }

    public Uni<String> open(Access access, Sealed sealed) {
        return encryptor.decrypt(access.tenant(), owner(access), access.provider(), sealed)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    private Uni<Sealed> seal(Access access, String token) {
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return encryptor.encrypt(access.tenant(), owner(access), access.provider(), token.getBytes(StandardCharsets.UTF_8));
    }

    /** Org keys belong to the tenant, whichever user a read is for. */
    private static String owner(Access access) {
        return TokenEvent.ORG_KEY.equals(access.credential()) ? Encryptor.ORG_OWNER : access.subject();
    }
}
