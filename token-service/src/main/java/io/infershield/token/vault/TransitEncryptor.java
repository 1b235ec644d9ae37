package io.infershield.token.vault;

import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.VaultException;
import io.quarkus.vault.transit.ClearData;
import io.quarkus.vault.transit.KeyCreationRequestDetail;
import io.quarkus.vault.transit.TransitContext;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vault Transit as the encryption backend, through the Quarkus Vault extension. The Transit key is a derived key
 * ({@code derived=true}): Vault derives a key per context, and the context is (tenant, owner, provider), so one user's
 * ciphertext does not open under another user's context. Vault draws a fresh nonce for every encryption, authenticates
 * every decryption, and keeps old key versions readable after {@code rotate}; {@link #reseal} rewraps a ciphertext
 * under the latest version without the plaintext leaving Vault.
 *
 * <p>The key version stored with a row is the ciphertext's own prefix, {@code vault:v<n>}.
 */
public class TransitEncryptor implements Encryptor {

    private static final Logger LOG = Logger.getLogger(TransitEncryptor.class);
    private static final Pattern VERSION = Pattern.compile("^(vault:v[0-9]+):");

    private final VaultTransitSecretReactiveEngine transit;
    private final String key;
    /** Checks (and if needed creates) the key once; a failure is not remembered, so a sealed Vault can recover. */
    private final AtomicReference<Uni<Void>> keyReady = new AtomicReference<>();

    public TransitEncryptor(VaultTransitSecretReactiveEngine transit, String key) {
        this.transit = transit;
        this.key = key;
    }

    @Override
    public Uni<Sealed> encrypt(String tenant, String owner, String provider, byte[] plaintext) {
        return ensureKey()
                .chain(() -> transit.encrypt(key, new ClearData(plaintext), context(tenant, owner, provider)))
                .onFailure(VaultException.class).transform(e -> unavailable("encrypt", e))
                .map(TransitEncryptor::sealed);
    }

    @Override
    public Uni<byte[]> decrypt(String tenant, String owner, String provider, Sealed sealed) {
        return transit.decrypt(key, sealed.ciphertext(), context(tenant, owner, provider))
                .onFailure(VaultException.class).transform(e -> rejectedOrUnavailable("decrypt", e))
                .map(ClearData::getValue);
    }

    @Override
    public Uni<Sealed> reseal(String tenant, String owner, String provider, Sealed sealed) {
        return transit.rewrap(key, sealed.ciphertext(), context(tenant, owner, provider))
                .onFailure(VaultException.class).transform(e -> rejectedOrUnavailable("rewrap", e))
                .map(TransitEncryptor::sealed);
    }

    @Override
    public Uni<String> currentVersion() {
        return transit.readKey(key)
                .onFailure(VaultException.class).transform(e -> unavailable("read key", e))
                .map(detail -> detail.map(d -> "vault:v" + d.getLatestVersion()).orElse("vault:v1"));
    }

    private Uni<Void> ensureKey() {
        Uni<Void> ready = keyReady.get();
        if (ready != null) {
            return ready;
        }
        Uni<Void> check = transit.readKey(key)
                .chain(detail -> {
                    if (detail.isEmpty()) {
                        LOG.infof("Creating the derived Transit key %s", key);
                        return transit.createKey(key, new KeyCreationRequestDetail().setDerived(true)
                                .setType("aes256-gcm96"));
                    }
                    if (!detail.get().isDerived()) {
                        // a key without derivation refuses a context: one key would serve every user alike
                        return Uni.createFrom().failure(new VaultUnavailableException("key_not_derived", null));
                    }
                    return Uni.createFrom().voidItem();
                })
                .onFailure().transform(e -> unavailable("check key", e))
                // forget a failed check, so that the next write tries again once Vault is back
                .onFailure().invoke(() -> keyReady.set(null))
                .memoize().indefinitely();
        // two first writers at once may both check: harmless, reading and creating the key are idempotent
        keyReady.compareAndSet(null, check);
        return check;
    }

    /** The derivation context: length-prefixed, so that no two (tenant, owner, provider) tuples share one. */
    static TransitContext context(String tenant, String owner, String provider) {
        return new TransitContext(LocalKeyring.encode("infershield-token", tenant, owner, provider));
    }

    private static Sealed sealed(String ciphertext) {
        Matcher m = VERSION.matcher(ciphertext);
        if (!m.find()) {
            throw new VaultUnavailableException("unexpected_ciphertext", null);
        }
        return new Sealed(m.group(1), ciphertext);
    }

    /** Vault answers 400 when a ciphertext does not authenticate under the context: tampered or another user's. */
    private static RuntimeException rejectedOrUnavailable(String operation, Throwable e) {
        if (e instanceof VaultClientException client && Integer.valueOf(400).equals(client.getStatus())) {
            return new CiphertextRejectedException("Vault refused to " + operation + " the ciphertext: "
                    + String.join("; ", client.getErrors() == null ? List.of() : client.getErrors()), e);
        }
        return unavailable(operation, e);
    }

    private static RuntimeException unavailable(String operation, Throwable e) {
        if (e instanceof VaultUnavailableException known) {
            return known;
        }
        String reason;
        if (e instanceof VaultClientException client && client.getStatus() != null) {
            int status = client.getStatus();
            if (status == 503 && client.hasErrorContaining("sealed")) {
                reason = "sealed";
            } else if (status == 403) {
                reason = "permission_denied";
            } else {
                reason = "http_" + status;
            }
        } else {
            reason = "unreachable";
        }
        // Vault's error texts never echo the plaintext: logging them is safe and tells the operator which policy failed
        LOG.warnf("Vault Transit %s failed (%s): %s", operation, reason, e.getMessage());
        return new VaultUnavailableException(reason, e);
    }
}
