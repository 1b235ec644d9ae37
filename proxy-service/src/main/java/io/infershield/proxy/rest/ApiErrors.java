package io.infershield.proxy.rest;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.service.Api;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The failure handler of the provider-compatible {@code /v1} routes: every failure there becomes the error shape of
 * the API the route speaks (OpenAI's or Anthropic's, {@link GatewayException#body}), which the SDKs turn into typed
 * exceptions and IDEs show to the developer. No stack trace, exception class or upstream body ever reaches the client.
 *
 * <p>Why this is not the one {@code @ServerExceptionMapper} class: the {@code /v1} routes are Vert.x routes (see
 * {@link GatewayRoutes}), which JAX-RS exception mappers never see, and their clients are provider SDKs that cannot
 * parse RFC 9457 problems. The admin API is JAX-RS and answers problems through {@link ProblemMapper}. Two surfaces,
 * two mappers.
 */
@ApplicationScoped
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    private final ProxyConfig config;

    ApiErrors(ProxyConfig config) {
        this.config = config;
    }

    void handle(RoutingContext ctx) {
        GatewayException error = toGatewayException(ctx);
        Exchange exchange = ctx.get(Exchange.KEY);
        if (exchange != null) {
            exchange.errorCode(error.code());
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (error.retryAfter() > 0) {
            ctx.response().putHeader("retry-after", String.valueOf(error.retryAfter()));
        }
        if (error.noRetry()) {
            ctx.response().putHeader("x-should-retry", "false");
        }
        ctx.response()
                .setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(error.body(exchange != null ? exchange.api() : Api.OPENAI).encode());
    }

    private GatewayException toGatewayException(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof GatewayException g) {
            return g;
        }
        if (ctx.statusCode() == 413) {
            return GatewayException.tooLarge(config.maxBodyBytes());
        }
        if (ctx.statusCode() == 400) {
            return GatewayException.invalidJson();
        }
        String id = ctx.get(Exchange.KEY) instanceof Exchange e ? e.requestId() : "-";
        LOG.errorf(failure, "request %s failed unexpectedly (status %d)", id, ctx.statusCode());
        return new GatewayException(500, "api_error", "internal_error", null,
                "The gateway could not handle the request. Reference: " + id + ".");
    }
}
