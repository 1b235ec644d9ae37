package io.infershield.auth.rest;

import io.quarkus.csrf.reactive.runtime.CsrfRequestResponseReactiveFilter;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Keeps the CSRF check of quarkus-rest-csrf off the OAuth endpoints. That filter checks every form POST and has no
 * way to exclude a path (quarkus#53715), but devices and the proxy call {@code /oauth/*} without cookies or a browser
 * session: there is no ambient credential a forged request could ride on, so CSRF does not apply there. The
 * verification pages keep the full check.
 */
@Alternative
@Priority(1)
@Singleton
public class OAuthCsrfExemption extends CsrfRequestResponseReactiveFilter {

    @Override
    public void filter(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (!OAuthFilters.isOAuthPath(routing.normalizedPath())) {
            super.filter(request, routing);
        }
    }
}
