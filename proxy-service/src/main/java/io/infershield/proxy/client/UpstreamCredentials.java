package io.infershield.proxy.client;

import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.GatewayException;
import io.infershield.proxy.service.UpstreamCredential;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Fetches, from token-service, the upstream credential a caller's request may use: the caller's own linked account for
 * the provider, else the tenant's org key (checklist D1). token-service decides which; the caller is named in the path.
 */
@ApplicationScoped
public class UpstreamCredentials {

    private static final Logger LOG = Logger.getLogger(UpstreamCredentials.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PURPOSE = "proxy-request";

    private final TokenServiceApi api;

    UpstreamCredentials(@RestClient TokenServiceApi api) {
        this.api = api;
    }

    /** The credential {@code caller} may use with {@code provider}. */
    public Uni<UpstreamCredential> forCaller(Caller caller, String provider) {
        return lookup(api.credential(caller.tenant(), caller.subject(), provider, PURPOSE), provider);
    }

    /** A fresh credential after the upstream rejected {@code rejected}; token-service refreshes it once for everyone. */
    public Uni<UpstreamCredential> refresh(Caller caller, UpstreamCredential rejected) {
        return lookup(api.refresh(caller.tenant(), caller.subject(), rejected.provider(),
                new TokenServiceApi.Rejected(rejected.version())), rejected.provider());
    }

    private Uni<UpstreamCredential> lookup(Uni<TokenServiceApi.Credential> call, String provider) {
        return call.ifNoItem().after(TIMEOUT).fail()
                .map(c -> new UpstreamCredential(provider, "user".equals(c.source()), c.token(), c.version(),
                        c.apiBase()))
                .onFailure().transform(e -> {
                    int status = e instanceof WebApplicationException w ? w.getResponse().getStatus() : 0;
                    if (status == 404) {
                        return GatewayException.noUpstreamCredential(provider);
                    }
                    if (status == 409) {
                        return GatewayException.linkBroken(provider);
                    }
                    LOG.errorf("token-service lookup failed: %s %s", e.getClass().getSimpleName(),
                            status == 0 ? "" : String.valueOf(status));
                    return GatewayException.tokenUnavailable();
                });
    }
}
