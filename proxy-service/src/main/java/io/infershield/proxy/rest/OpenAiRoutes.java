package io.infershield.proxy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.proxy.client.CredentialIntrospector;
import io.infershield.proxy.client.UpstreamCredentials;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.messaging.ProxyEvents;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.infershield.proxy.service.UpstreamForwarder;
import io.infershield.proxy.service.UpstreamRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenAI-compatible surface IDEs point at.
 *
 * <p>These are Vert.x routes rather than JAX-RS resources because a gateway must relay a streamed answer byte for byte,
 * with backpressure, and cancel the upstream call when the IDE disconnects: the raw request and response give exactly
 * that, without re-framing server-sent events.
 *
 * <p>Order of checks for every request: the body fits the limit; a bearer credential is present; the credential is
 * active (auth-service); the body is valid; only then is an upstream credential fetched and the request forwarded.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private final ProxyConfig config;
    private final CredentialIntrospector introspector;
    private final UpstreamCredentials credentials;
    private final UpstreamRouter router;
    private final UpstreamForwarder forwarder;
    private final ProxyEvents events;
    private final OpenAiErrors errors;
    private final ObjectMapper json;

    OpenAiRoutes(ProxyConfig config, CredentialIntrospector introspector, UpstreamCredentials credentials,
            UpstreamRouter router, UpstreamForwarder forwarder, ProxyEvents events, OpenAiErrors errors,
            ObjectMapper json) {
        this.router = router;
        this.config = config;
        this.introspector = introspector;
        this.credentials = credentials;
        this.forwarder = forwarder;
        this.events = events;
        this.errors = errors;
        this.json = json;
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()).setHandleFileUploads(false);
        // Vert.x orders handler kinds: the exchange starts as a platform handler, then the body is read (within the limit).
        PlatformHandler begin = this::begin;
        router.post("/v1/chat/completions")
                .handler(begin).handler(body).handler(this::requireBearer).handler(this::chatCompletions);
        router.get("/v1/models")
                .handler(begin).handler(this::requireBearer).handler(this::models);
        router.route("/v1/*").handler(begin)
                .handler(ctx -> ctx.fail(GatewayException.notFound(ctx.request().method().name(), ctx.request().path())));
        router.route("/v1/*").failureHandler(errors::handle);
    }

    private void begin(RoutingContext ctx) {
        if (ctx.get(Exchange.KEY) == null) {
            Exchange exchange = new Exchange(ctx.request().path());
            ctx.put(Exchange.KEY, exchange);
            ctx.response().putHeader("x-request-id", exchange.requestId());
            ctx.addEndHandler(done -> publish(ctx, exchange));
        }
        ctx.next();
    }

    private void requireBearer(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            ctx.fail(GatewayException.missingCredential());
            return;
        }
        ctx.next();
    }

    private void chatCompletions(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            ctx.fail(GatewayException.unsupportedMediaType());
            return;
        }
        authenticate(ctx, caller -> {
            JsonNode request = parseObject(ctx);
            JsonNode model = request.get("model");
            if (model == null || !model.isTextual() || model.asText().isBlank()) {
                throw GatewayException.invalidField("model", "'model' is required and must be a string.");
            }
            JsonNode messages = request.get("messages");
            if (messages == null || !messages.isArray() || messages.isEmpty()) {
                throw GatewayException.invalidField("messages", "'messages' is required and must be a non-empty array.");
            }
            JsonNode stream = request.get("stream");
            if (stream != null && !stream.isBoolean() && !stream.isNull()) {
                throw GatewayException.invalidField("stream", "'stream' must be a boolean.");
            }
            Exchange exchange = ctx.get(Exchange.KEY);
            exchange.request(model.asText(), stream != null && stream.asBoolean());
            UpstreamRouter.Route route = router.route(model.asText());
            Buffer body = ctx.body().buffer();
            if (!route.model().equals(model.asText())) {
                ((ObjectNode) request).put("model", route.model());
                body = Buffer.buffer(writeJson(request));
            }
            Map<String, String> headers = new HashMap<>(route.upstream().headers());
            route.upstream().initiatorHeader().ifPresent(h -> headers.put(h, initiator(messages)));
            forward(ctx, caller, route, HttpMethod.POST, "/chat/completions", body, headers);
        });
    }

    private void models(RoutingContext ctx) {
        authenticate(ctx, caller -> {
            UpstreamRouter.Route route = router.defaultRoute();
            forward(ctx, caller, route, HttpMethod.GET, "/models", null, route.upstream().headers());
        });
    }

    /** {@code user} when the developer typed the last turn, {@code agent} when a tool loop produced it. */
    private static String initiator(JsonNode messages) {
        return "user".equals(messages.get(messages.size() - 1).path("role").asText()) ? "user" : "agent";
    }

    private void authenticate(RoutingContext ctx, Consumer<Caller> then) {
        String credential = ctx.request().getHeader(HttpHeaders.AUTHORIZATION).substring(7).trim();
        introspector.introspect(credential).subscribe().with(caller -> {
            try {
                Caller c = caller.orElseThrow(GatewayException::invalidCredential);
                ((Exchange) ctx.get(Exchange.KEY)).caller(c);
                then.accept(c);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }, ctx::fail);
    }

    private void forward(RoutingContext ctx, Caller caller, UpstreamRouter.Route route, HttpMethod method, String path,
            Buffer body, Map<String, String> headers) {
        credentials.forCaller(caller, route.upstream().provider()).subscribe().with(
                credential -> forwarder.forward(ctx, route, method, path, body, headers, credential,
                        rejected -> credentials.refresh(caller, rejected)),
                ctx::fail);
    }

    private byte[] writeJson(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private JsonNode parseObject(RoutingContext ctx) {
        try {
            JsonNode node = ctx.body().buffer() == null ? null : json.readTree(ctx.body().buffer().getBytes());
            if (node == null || !node.isObject()) {
                throw GatewayException.invalidJson();
            }
            return node;
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidJson();
        } catch (java.io.IOException e) {
            throw GatewayException.invalidJson();
        }
    }

    private void publish(RoutingContext ctx, Exchange exchange) {
        Caller caller = exchange.caller();
        int status = ctx.response().getStatusCode();
        events.requestCompleted(caller != null ? caller.tenant() : config.defaultTenant(),
                caller != null ? caller.subject() : null,
                new ProxyRequestCompleted(exchange.requestId(), exchange.endpoint(), exchange.model(), exchange.stream(),
                        status, exchange.errorCode(), exchange.upstream(), exchange.credential(), exchange.elapsedMillis(),
                        ctx.request().bytesRead(), ctx.response().bytesWritten(), null, List.of()));
    }
}
