package io.infershield.auth.rest;

import io.quarkus.csrf.reactive.runtime.CsrfRequestResponseReactiveFilter;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Keeps the CSRF check of quarkus-rest-csrf off the OAuth endpoints, the admin API, the personal key API and the link
 * API. That filter checks every unsafe request and has no way to exclude a path (quarkus#53715), but devices and the
 * proxy call {@code /oauth/*} without cookies or a browser session, and the admin, personal key and link APIs take only
 * a bearer token in the Authorization header: there is no ambient credential a forged request could ride on, so CSRF
 * does not apply there. The verification pages keep the full check.
 */
@Alternative
@Priority(1)
@Singleton
public class OAuthCsrfExemption extends CsrfRequestResponseReactiveFilter {

    @Override
    public void filter(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (!OAuthFilters.isOAuthPath(path) && !path.startsWith(AdminResource.PATH + "/")
                && !path.startsWith(PersonalKeyResource.PATH + "/") && !path.startsWith(LinkResource.PATH)) {
            super.filter(request, routing);
        }
    }
}
