package io.infershield.proxy.client;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.GatewayException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Asks auth-service whether a gateway credential is active (RFC 7662). No cache on purpose: a revoked credential must stop
 * working on its next request.
 */
@ApplicationScoped
public class CredentialIntrospector {

    private static final Logger LOG = Logger.getLogger(CredentialIntrospector.class);

    private final AuthServiceApi api;
    private final String authorization;

    CredentialIntrospector(@RestClient AuthServiceApi api, ProxyConfig config) {
        this.api = api;
        this.authorization = basic(config.auth());
    }

    /** The caller the credential belongs to, or empty when it is unknown, expired or revoked. */
    public Uni<Optional<Caller>> introspect(String credential) {
        return api.introspect(authorization, credential)
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .map(r -> r.active() && r.sub() != null
                        ? Optional.of(new Caller(r.sub(), r.tenant(), r.groups()))
                        : Optional.<Caller>empty())
                .onFailure().transform(e -> {
                    LOG.errorf("introspection at auth-service failed: %s", e.getClass().getSimpleName());
                    return GatewayException.authUnavailable();
                });
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
    private static String basic(ProxyConfig.Caller caller) {
        String pair = URLEncoder.encode(caller.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(caller.clientSecret(), StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
