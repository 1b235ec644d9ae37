package io.infershield.proxy.client;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.GatewayException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;

/** Fetches, from token-service, the upstream credential a caller's request may use: only the caller's tenant's org key. */
@ApplicationScoped
public class UpstreamCredentials {

    private static final Logger LOG = Logger.getLogger(UpstreamCredentials.class);

    private final TokenServiceApi api;
    private final String authorization;

    UpstreamCredentials(@RestClient TokenServiceApi api, ProxyConfig config) {
        this.api = api;
        this.authorization = BasicAuth.header(config.token());
    }

    /** The org API key of the caller's tenant for {@code provider}. */
    public Uni<String> orgKey(Caller caller, String provider) {
        return api.orgKey(authorization, caller.subject(), caller.tenant(), provider)
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .onFailure().transform(e -> {
                    if (e instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() == 404) {
                        return GatewayException.noUpstreamCredential(provider);
                    }
                    LOG.errorf("token-service lookup failed: %s", e.getClass().getSimpleName());
                    return GatewayException.tokenUnavailable();
                })
                .map(r -> r.getEntity().apiKey());
    }
}
