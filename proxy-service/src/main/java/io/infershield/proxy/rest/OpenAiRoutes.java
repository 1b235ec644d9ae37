package io.infershield.proxy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.proxy.client.CredentialIntrospector;
import io.infershield.proxy.client.UpstreamCredentials;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.messaging.ProxyEvents;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.infershield.proxy.service.UpstreamForwarder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    static final String OPENAI = "openai";

    private final ProxyConfig config;
    private final CredentialIntrospector introspector;
    private final UpstreamCredentials credentials;
    private final UpstreamForwarder forwarder;
    private final ProxyEvents events;
    private final OpenAiErrors errors;
    private final ObjectMapper json;

    OpenAiRoutes(ProxyConfig config, CredentialIntrospector introspector, UpstreamCredentials credentials,
            UpstreamForwarder forwarder, ProxyEvents events, OpenAiErrors errors, ObjectMapper json) {
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
            forwardWithOrgKey(ctx, caller, HttpMethod.POST, "/chat/completions");
        });
    }

    private void models(RoutingContext ctx) {
        authenticate(ctx, caller -> forwardWithOrgKey(ctx, caller, HttpMethod.GET, "/models"));
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

    private void forwardWithOrgKey(RoutingContext ctx, Caller caller, HttpMethod method, String path) {
        credentials.orgKey(caller, OPENAI).subscribe().with(apiKey -> {
            ((Exchange) ctx.get(Exchange.KEY)).forwardedTo(OPENAI, "org-key");
            forwarder.forward(ctx, method, config.upstream().openai().url(), path, apiKey,
                    method == HttpMethod.POST ? ctx.body().buffer() : null);
        }, ctx::fail);
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
                        ctx.request().bytesRead(), ctx.response().bytesWritten()));
    }
}
