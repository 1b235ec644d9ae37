package io.infershield.proxy.rest;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The failure handler of the OpenAI-compatible {@code /v1} routes: every failure there becomes OpenAI's error shape,
 * {@code {"error": {"message", "type", "param", "code"}}}, which the OpenAI SDKs turn into typed exceptions and IDEs
 * show to the developer. No stack trace, exception class or upstream body ever reaches the client.
 *
 * <p>Why this is not the one {@code @ServerExceptionMapper} class: the {@code /v1} routes are Vert.x routes (see
 * {@link OpenAiRoutes}), which JAX-RS exception mappers never see, and their clients are OpenAI SDKs that cannot parse
 * RFC 9457 problems. The admin API is JAX-RS and answers problems through {@link ProblemMapper}. Two surfaces, two
 * shapes, one mapper each.
 */
@ApplicationScoped
public class OpenAiErrors {

    private static final Logger LOG = Logger.getLogger(OpenAiErrors.class);

    private final ProxyConfig config;

    OpenAiErrors(ProxyConfig config) {
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
        JsonObject detail = new JsonObject()
                .put("message", error.getMessage())
                .put("type", error.type())
                .put("param", error.param())
                .put("code", error.code());
        ctx.response()
                .setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", detail).encode());
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
