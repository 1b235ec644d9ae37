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
import io.infershield.proxy.security.Decision;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.Redactor;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.infershield.proxy.service.PolicyStore;
import io.infershield.proxy.service.SecurityLayer;
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
 * active (auth-service); the body is valid; the security layer scans the messages under the caller's policy and
 * blocks, redacts or lets them pass; only then is an upstream credential fetched and the request forwarded.
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
    private final SecurityLayer security;
    private final PolicyStore policies;

    OpenAiRoutes(ProxyConfig config, CredentialIntrospector introspector, UpstreamCredentials credentials,
            UpstreamRouter router, UpstreamForwarder forwarder, ProxyEvents events, OpenAiErrors errors,
            ObjectMapper json, SecurityLayer security, PolicyStore policies) {
        this.security = security;
        this.policies = policies;
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
        router.post("/v1/security/scan")
                .handler(begin).handler(body).handler(this::requireBearer).handler(this::scan);
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
            if (!security.enabled()) {
                send(ctx, caller, (ObjectNode) request, false, null);
                return;
            }
            Policy policy = policies.resolve(caller.tenant(), caller.groups()).policy();
            // A long prompt takes milliseconds to scan: off the event loop, back on it to forward.
            ctx.vertx().executeBlocking(() -> security.scanRequest(request, policy), false).onComplete(done -> {
                if (done.failed()) {
                    ctx.fail(done.cause());
                    return;
                }
                SecurityLayer.Verdict verdict = done.result();
                exchange.scanned(verdict.action(), verdict.findings());
                if (verdict.blocking() != null) {
                    ctx.fail(GatewayException.blocked(verdict.blocking().category().wire(), verdict.blocking().type(),
                            false));
                    return;
                }
                try {
                    send(ctx, caller, (ObjectNode) request, verdict.redacted(), policy);
                } catch (RuntimeException e) {
                    ctx.fail(e);
                }
            });
        });
    }

    /** Forwards a chat request; the body is serialised again only when it changed. */
    private void send(RoutingContext ctx, Caller caller, ObjectNode request, boolean changed, Policy policy) {
        String model = request.get("model").asText();
        UpstreamRouter.Route route = router.route(model);
        Buffer body = ctx.body().buffer();
        if (!route.model().equals(model)) {
            request.put("model", route.model());
            changed = true;
        }
        if (changed) {
            body = Buffer.buffer(writeJson(request));
        }
        JsonNode messages = request.get("messages");
        Map<String, String> headers = new HashMap<>(route.upstream().headers());
        route.upstream().initiatorHeader().ifPresent(h -> headers.put(h, initiator(messages)));
        forward(ctx, caller, route, HttpMethod.POST, "/chat/completions", body, headers, policy);
    }

    /**
     * The dashboard's "test a policy" view: one text scanned under the caller's tenant policy (or the named group's),
     * answered with the decision, every finding and the text as it would be forwarded. Nothing is forwarded and the
     * findings stay out of the audit event: this is a dry run, not traffic.
     */
    private void scan(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            ctx.fail(GatewayException.unsupportedMediaType());
            return;
        }
        authenticate(ctx, caller -> {
            JsonNode request = parseObject(ctx);
            JsonNode text = request.get("text");
            if (text == null || !text.isTextual()) {
                throw GatewayException.invalidField("text", "'text' is required and must be a string.");
            }
            JsonNode direction = request.get("direction");
            if (direction != null && !direction.isNull()
                    && !(direction.isTextual() && List.of("request", "response").contains(direction.asText()))) {
                throw GatewayException.invalidField("direction", "'direction' must be 'request' or 'response'.");
            }
            JsonNode group = request.get("group");
            if (group != null && !group.isNull() && !group.isTextual()) {
                throw GatewayException.invalidField("group", "'group' must be a string.");
            }
            Direction dir = direction != null && "response".equals(direction.asText()) ? Direction.RESPONSE
                    : Direction.REQUEST;
            Policy policy = group != null && group.isTextual()
                    ? policies.resolveGroup(caller.tenant(), group.asText())
                    : policies.resolve(caller.tenant(), caller.groups()).policy();
            ctx.vertx().executeBlocking(() -> scanResult(text.asText(), dir, policy), false).onComplete(done -> {
                if (done.failed()) {
                    ctx.fail(done.cause());
                    return;
                }
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(
                        writeJson(done.result())));
            });
        });
    }

    private ObjectNode scanResult(String text, Direction direction, Policy policy) {
        List<Finding> findings = security.findings(text, direction);
        Decision decision = policy.decide(findings);
        ObjectNode out = json.createObjectNode()
                .put("decision", decision.contractDecision())
                .put("score", decision.score());
        var list = out.putArray("findings");
        for (Finding f : findings) {
            list.addObject().put("category", f.category().wire()).put("type", f.type()).put("start", f.start())
                    .put("end", f.end()).put("score", f.score()).put("explanation", f.explanation());
        }
        out.put("redacted", Redactor.redact(text, decision.redact()));
        return out;
    }

    private void models(RoutingContext ctx) {
        authenticate(ctx, caller -> {
            UpstreamRouter.Route route = router.defaultRoute();
            forward(ctx, caller, route, HttpMethod.GET, "/models", null, route.upstream().headers(), null);
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
            Buffer body, Map<String, String> headers, Policy policy) {
        credentials.forCaller(caller, route.upstream().provider()).subscribe().with(
                credential -> forwarder.forward(ctx, route, method, path, body, headers, credential,
                        rejected -> credentials.refresh(caller, rejected), policy),
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
                        ctx.request().bytesRead(), ctx.response().bytesWritten(), exchange.decision(), exchange.findings()));
    }
}
