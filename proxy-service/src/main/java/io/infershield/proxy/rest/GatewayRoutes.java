package io.infershield.proxy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.events.TokenUsage;
import io.infershield.proxy.client.CredentialIntrospector;
import io.infershield.proxy.client.UpstreamCredentials;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.messaging.ProxyEvents;
import io.infershield.proxy.security.Decision;
import io.infershield.proxy.security.Direction;
import io.infershield.proxy.security.Finding;
import io.infershield.proxy.security.Policy;
import io.infershield.proxy.security.PolicyAction;
import io.infershield.proxy.security.Redactor;
import io.infershield.proxy.security.ToolPoisoningDetector;
import io.infershield.proxy.service.Api;
import io.infershield.proxy.service.Caller;
import io.infershield.proxy.service.Endpoint;
import io.infershield.proxy.service.Exchange;
import io.infershield.proxy.service.GatewayException;
import io.infershield.proxy.service.GatewayMetrics;
import io.infershield.proxy.service.PolicyStore;
import io.infershield.proxy.service.RateLimiter;
import io.infershield.proxy.service.SecurityLayer;
import io.infershield.proxy.service.TokenBudget;
import io.infershield.proxy.service.ToolAllowList;
import io.infershield.proxy.service.UpstreamForwarder;
import io.infershield.proxy.service.UpstreamRouter;
import io.smallrye.mutiny.Uni;
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
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The surface IDEs point at: OpenAI-compatible ({@code /v1/chat/completions}, {@code /v1/responses} for Codex,
 * {@code /v1/completions} for code completion, {@code /v1/embeddings} for code search indexes, {@code /v1/models}) for
 * Cursor, Continue, Codex, Copilot-backed tools and the OpenAI SDKs, and Anthropic-compatible ({@code /v1/messages},
 * {@code /v1/messages/count_tokens}) for Claude Code and the Anthropic SDKs ({@link Endpoint}). A request is answered in the API it was
 * made in, errors included ({@link Api}): {@code /v1/messages*}, and any request that carries Anthropic's
 * {@code anthropic-version} header, are Anthropic's.
 *
 * <p>These are Vert.x routes rather than JAX-RS resources because a gateway must relay a streamed answer byte for byte,
 * with backpressure, and cancel the upstream call when the IDE disconnects: the raw request and response give exactly
 * that, without re-framing server-sent events.
 *
 * <p>Order of checks for every request: the body fits the limit; a credential is present ({@code Authorization:
 * Bearer}, or Anthropic's {@code x-api-key}); the credential is active (auth-service); the developer is within their
 * request rate ({@link RateLimiter}, else 429 with {@code Retry-After}); the body is valid; every tool it offers the
 * model is on the tenant's allow-list, when it has one ({@link ToolAllowList}, else 403); the developer has tokens
 * left today, when the endpoint costs tokens ({@link TokenBudget}, else 429 until the next UTC midnight); the security
 * layer scans the texts under the caller's policy and blocks, redacts or lets them pass; only then is an upstream
 * credential fetched and the request forwarded. Once the request has ended, the tokens its answer cost are counted
 * and its audit event is written.
 */
@ApplicationScoped
public class GatewayRoutes {

    /** The Messages API version sent upstream when the client names none (the one the Anthropic SDKs send). */
    static final String ANTHROPIC_VERSION = "2023-06-01";
    private static final String CREDENTIAL = GatewayRoutes.class.getName() + ".credential";

    private final ProxyConfig config;
    private final CredentialIntrospector introspector;
    private final UpstreamCredentials credentials;
    private final UpstreamRouter router;
    private final UpstreamForwarder forwarder;
    private final ProxyEvents events;
    private final ApiErrors errors;
    private final ObjectMapper json;
    private final SecurityLayer security;
    private final PolicyStore policies;
    private final RateLimiter limiter;
    private final TokenBudget budget;
    private final GatewayMetrics metrics;
    private final ToolAllowList tools;

    GatewayRoutes(ProxyConfig config, CredentialIntrospector introspector, UpstreamCredentials credentials,
            UpstreamRouter router, UpstreamForwarder forwarder, ProxyEvents events, ApiErrors errors,
            ObjectMapper json, SecurityLayer security, PolicyStore policies, RateLimiter limiter, TokenBudget budget,
            GatewayMetrics metrics, ToolAllowList tools) {
        this.limiter = limiter;
        this.tools = tools;
        this.metrics = metrics;
        this.budget = budget;
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
        for (Endpoint endpoint : Endpoint.values()) {
            router.post("/v1" + endpoint.path())
                    .handler(begin).handler(body).handler(this::requireCredential).handler(ctx -> complete(ctx, endpoint));
        }
        router.get("/v1/models")
                .handler(begin).handler(this::requireCredential).handler(this::models);
        router.post("/v1/security/scan")
                .handler(begin).handler(body).handler(this::requireCredential).handler(this::scan);
        router.route("/v1/*").handler(begin)
                .handler(ctx -> ctx.fail(GatewayException.notFound(ctx.request().method().name(), ctx.request().path())));
        router.route("/v1/*").failureHandler(errors::handle);
    }

    private void begin(RoutingContext ctx) {
        if (ctx.get(Exchange.KEY) == null) {
            Api api = ctx.request().path().startsWith("/v1/messages")
                    || ctx.request().getHeader("anthropic-version") != null ? Api.ANTHROPIC : Api.OPENAI;
            Exchange exchange = new Exchange(ctx.request().path(), api);
            ctx.put(Exchange.KEY, exchange);
            ctx.response().putHeader("x-request-id", exchange.requestId());
            ctx.addEndHandler(done -> publish(ctx, exchange));
        }
        ctx.next();
    }

    /**
     * The caller's InferShield credential: a bearer token, or for Anthropic clients {@code x-api-key} (Claude Code sends
     * {@code ANTHROPIC_API_KEY} there, and {@code ANTHROPIC_AUTH_TOKEN} as a bearer token).
     */
    private void requireCredential(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String credential = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            credential = header.substring(7);
        } else if (header == null && ((Exchange) ctx.get(Exchange.KEY)).api() == Api.ANTHROPIC) {
            credential = ctx.request().getHeader("x-api-key");
        }
        if (credential == null || credential.isBlank()) {
            ctx.fail(GatewayException.missingCredential());
            return;
        }
        ctx.put(CREDENTIAL, credential.trim());
        ctx.next();
    }

    /**
     * A request to one of the provider endpoints: validated, screened by the security layer, routed to an upstream
     * that speaks its API and forwarded; its answer is screened too, unless it holds no text (embeddings, token
     * counts). Counting tokens sends the prompt upstream as surely as a completion does, so it is screened the same way.
     */
    private void complete(RoutingContext ctx, Endpoint endpoint) {
        requireJson(ctx, caller -> {
            ObjectNode request = parseObject(ctx);
            String model = model(request);
            validate(endpoint, request);
            List<ToolAllowList.Refused> refused = tools.refused(caller.tenant(), request);
            if (!refused.isEmpty()) {
                PolicyAction action = tools.enforces(caller.tenant()) ? PolicyAction.BLOCK : PolicyAction.ALERT;
                ((Exchange) ctx.get(Exchange.KEY)).scanned(action, refused.stream().map(r -> r.finding(action)).toList());
                if (action == PolicyAction.BLOCK) {
                    throw refused.get(0).exception();
                }
            }
            ((Exchange) ctx.get(Exchange.KEY)).request(model, endpoint.textAnswer() && stream(request));
            withinBudget(ctx, caller, endpoint, () -> screen(ctx, caller, endpoint, request, (changed, policy) -> {
                UpstreamRouter.Route route = router.route(endpoint.api(), model);
                Map<String, String> headers;
                if (endpoint.api() == Api.ANTHROPIC) {
                    headers = anthropicHeaders(ctx, route);
                } else {
                    headers = new HashMap<>(route.upstream().headers());
                    route.upstream().initiatorHeader().ifPresent(h -> headers.put(h, initiator(request)));
                }
                send(ctx, caller, route, request, changed, endpoint, headers, endpoint.textAnswer() ? policy : null);
            }));
        });
    }

    /**
     * Runs {@code then} unless {@code endpoint} costs tokens and the developer has used up today's budget, which fails
     * the request with a 429 instead: nothing is forwarded.
     */
    private void withinBudget(RoutingContext ctx, Caller caller, Endpoint endpoint, Runnable then) {
        if (!endpoint.costsTokens()) {
            then.run();
            return;
        }
        budget.exhausted(caller.tenant(), caller.subject()).subscribe().with(wait -> {
            try {
                if (wait.isPresent()) {
                    throw GatewayException.budgetExhausted(wait.getAsLong());
                }
                then.run();
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }, ctx::fail);
    }

    /**
     * Asks the upstream for the usage of a chat or legacy completions stream when the developer has a budget and the
     * client did not ask for it: OpenAI reports a stream's usage only then. The usage chunk is kept from the client
     * ({@link io.infershield.proxy.service.UsageMeter}). A {@code stream_options} that is not an object is left for
     * the upstream to refuse. Answers whether the request changed.
     */
    private boolean askForUsage(Endpoint endpoint, ObjectNode request, Caller caller) {
        JsonNode options = request.get("stream_options");
        if (endpoint != Endpoint.CHAT_COMPLETIONS && endpoint != Endpoint.COMPLETIONS
                || budget.perDay(caller.tenant()) <= 0
                || options != null && !options.isNull() && !options.isObject()
                || options != null && options.path("include_usage").booleanValue()) {
            return false;
        }
        (options instanceof ObjectNode object ? object : request.putObject("stream_options"))
                .put("include_usage", true);
        return true;
    }

    /** The fields each endpoint requires besides {@code model}, with the provider's wording where it has one. */
    private static void validate(Endpoint endpoint, JsonNode request) {
        switch (endpoint) {
            case CHAT_COMPLETIONS -> nonEmptyArray(request, "messages",
                    "'messages' is required and must be a non-empty array.");
            case RESPONSES, EMBEDDINGS -> textOrArray(request, "input");
            case COMPLETIONS -> textOrArray(request, "prompt");
            case MESSAGES, COUNT_TOKENS -> {
                JsonNode maxTokens = request.get("max_tokens");
                if (endpoint == Endpoint.MESSAGES && (maxTokens == null || !maxTokens.isIntegralNumber()
                        || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1)) {
                    throw GatewayException.invalidField("max_tokens", "max_tokens: Field required, a positive integer.");
                }
                nonEmptyArray(request, "messages", "messages: Field required, a non-empty array.");
                JsonNode system = request.get("system");
                if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
                    throw GatewayException.invalidField("system",
                            "system: Input should be a string or a list of blocks.");
                }
            }
        }
    }

    private static void nonEmptyArray(JsonNode request, String field, String message) {
        JsonNode value = request.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw GatewayException.invalidField(field, message);
        }
    }

    private static void textOrArray(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !(value.isTextual() || value.isArray() && !value.isEmpty())) {
            throw GatewayException.invalidField(field,
                    "'" + field + "' is required and must be a string or a non-empty array.");
        }
    }

    /** The route's fixed headers, the client's Messages API version (or the default) and its beta features. */
    private static Map<String, String> anthropicHeaders(RoutingContext ctx, UpstreamRouter.Route route) {
        Map<String, String> headers = new HashMap<>(route.upstream().headers());
        String version = ctx.request().getHeader("anthropic-version");
        headers.put("anthropic-version", version != null ? version : ANTHROPIC_VERSION);
        String beta = ctx.request().getHeader("anthropic-beta");
        if (beta != null) {
            headers.put("anthropic-beta", beta);
        }
        return headers;
    }

    /** What to do with a request once screened: whether its JSON changed, and the policy its answer is scanned under. */
    private interface Screened {
        void send(boolean changed, Policy policy);
    }

    /**
     * Runs the security layer over {@code request} under the caller's policy, off the event loop (a long prompt takes
     * milliseconds), and back on it either fails the request (block) or hands it on, redacted where the policy says,
     * with the policy its answer is scanned under. With the layer off, nothing is scanned and the policy is null.
     */
    private void screen(RoutingContext ctx, Caller caller, Endpoint endpoint, ObjectNode request, Screened then) {
        if (!security.enabled()) {
            then.send(false, null);
            return;
        }
        Exchange exchange = ctx.get(Exchange.KEY);
        Policy policy = policies.resolve(caller.tenant(), caller.groups()).policy();
        ctx.vertx().executeBlocking(() -> security.scanRequest(endpoint, request, policy), false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            SecurityLayer.Verdict verdict = done.result();
            exchange.scanned(verdict.action(), verdict.findings());
            if (verdict.blocking() != null) {
                String category = verdict.blocking().category().wire();
                ctx.fail(ToolPoisoningDetector.TYPE.equals(verdict.blocking().type())
                        ? GatewayException.blockedTool(category, verdict.blocking().type(), verdict.blockingTool())
                        : GatewayException.blocked(category, verdict.blocking().type(), false));
                return;
            }
            try {
                then.send(verdict.redacted(), policy);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }

    /**
     * Forwards a request body to {@code endpoint}; the body is serialised again only when it changed. The answer is
     * scanned under {@code policy} unless it is null.
     */
    private void send(RoutingContext ctx, Caller caller, UpstreamRouter.Route route, ObjectNode request,
            boolean changed, Endpoint endpoint, Map<String, String> headers, Policy policy) {
        Buffer body = ctx.body().buffer();
        Exchange exchange = ctx.get(Exchange.KEY);
        if (exchange.stream() && askForUsage(endpoint, request, caller)) {
            exchange.hideUsage();
            changed = true;
        }
        if (!route.model().equals(request.get("model").asText())) {
            request.put("model", route.model());
            changed = true;
        }
        if (changed) {
            body = Buffer.buffer(writeJson(request));
        }
        forward(ctx, caller, route, HttpMethod.POST, endpoint.path(), body, headers, endpoint, policy);
    }

    /** The non-blank string {@code model}, which every completion request names. */
    private static String model(JsonNode request) {
        JsonNode model = request.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw GatewayException.invalidField("model", "'model' is required and must be a string.");
        }
        return model.asText();
    }

    private static boolean stream(JsonNode request) {
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw GatewayException.invalidField("stream", "'stream' must be a boolean.");
        }
        return stream != null && stream.asBoolean();
    }

    /** Runs {@code then} for the authenticated caller of a request whose body is declared JSON. */
    private void requireJson(RoutingContext ctx, Consumer<Caller> then) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            ctx.fail(GatewayException.unsupportedMediaType());
            return;
        }
        authenticate(ctx, then);
    }

    /**
     * The dashboard's "test a policy" view: one text scanned under the caller's tenant policy (or the named group's),
     * answered with the decision, every finding and the text as it would be forwarded. Nothing is forwarded and the
     * findings stay out of the audit event: this is a dry run, not traffic.
     */
    private void scan(RoutingContext ctx) {
        requireJson(ctx, caller -> {
            JsonNode request = parseObject(ctx);
            if (request.has("tools")) {
                vetTools(ctx, caller, request);
                return;
            }
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
            answerJson(ctx, () -> scanResult(text.asText(), dir, policy));
        });
    }

    /**
     * A dry run over tool definitions, as an IDE sends them or an MCP server's {@code tools/list} returns them: for
     * each, its digest (what a tool-pinning entry approves), whether the tenant's allow-list approves it ({@code null}
     * without one), and the tool-poisoning findings with the decision of the caller's policy. For the security team
     * vetting an MCP server before approving it.
     */
    private void vetTools(RoutingContext ctx, Caller caller, JsonNode request) {
        if (!request.get("tools").isArray() || request.get("tools").isEmpty()) {
            throw GatewayException.invalidField("tools", "'tools' must be a non-empty array of tool definitions.");
        }
        Policy policy = policies.resolve(caller.tenant(), caller.groups()).policy();
        answerJson(ctx, () -> {
            ObjectNode out = json.createObjectNode();
            var list = out.putArray("tools");
            ToolAllowList.each(request, (location, tool) -> {
                List<Finding> findings = security.toolFindings(ToolPoisoningDetector.text(tool));
                Decision decision = policy.decide(findings);
                ObjectNode entry = list.addObject().put("location", location).put("name", ToolAllowList.name(tool))
                        .put("digest", ToolAllowList.digest(tool));
                Boolean approved = tools.approves(caller.tenant(), tool);
                if (approved == null) {
                    entry.putNull("approved");
                } else {
                    entry.put("approved", approved);
                }
                entry.put("decision", decision.contractDecision()).put("score", decision.score());
                putFindings(entry, findings);
            });
            return out;
        });
    }

    /** Answers with the JSON {@code work} builds on a worker thread (scanning is CPU-bound, off the event loop). */
    private void answerJson(RoutingContext ctx, Callable<ObjectNode> work) {
        ctx.vertx().executeBlocking(work, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(
                    writeJson(done.result())));
        });
    }

    private static void putFindings(ObjectNode target, List<Finding> findings) {
        var list = target.putArray("findings");
        for (Finding f : findings) {
            list.addObject().put("category", f.category().wire()).put("type", f.type()).put("start", f.start())
                    .put("end", f.end()).put("score", f.score()).put("explanation", f.explanation());
        }
    }

    private ObjectNode scanResult(String text, Direction direction, Policy policy) {
        List<Finding> findings = security.findings(text, direction);
        Decision decision = policy.decide(findings);
        ObjectNode out = json.createObjectNode()
                .put("decision", decision.contractDecision())
                .put("score", decision.score());
        putFindings(out, findings);
        out.put("redacted", Redactor.redact(text, decision.redact()));
        return out;
    }

    /** The default upstream's model list, in the API the client speaks. */
    private void models(RoutingContext ctx) {
        authenticate(ctx, caller -> {
            Api api = ((Exchange) ctx.get(Exchange.KEY)).api();
            UpstreamRouter.Route route = router.defaultRoute(api);
            forward(ctx, caller, route, HttpMethod.GET, "/models", null,
                    api == Api.ANTHROPIC ? anthropicHeaders(ctx, route) : route.upstream().headers(), null, null);
        });
    }

    /**
     * {@code user} when the developer typed the last turn, {@code agent} when a tool loop produced it: the role of the
     * last chat message or Responses input item (a plain prompt is the developer's).
     */
    private static String initiator(JsonNode request) {
        JsonNode turns = request.has("messages") ? request.get("messages") : request.path("input");
        if (!turns.isArray()) {
            return "user";
        }
        return "user".equals(turns.get(turns.size() - 1).path("role").asText()) ? "user" : "agent";
    }

    private void authenticate(RoutingContext ctx, Consumer<Caller> then) {
        String credential = ctx.get(CREDENTIAL);
        introspector.introspect(credential).subscribe().with(caller -> {
            try {
                Caller c = caller.orElseThrow(GatewayException::invalidCredential);
                ((Exchange) ctx.get(Exchange.KEY)).caller(c);
                limiter.acquire(c.tenant(), c.subject()).ifPresent(wait -> {
                    throw GatewayException.rateLimited(wait);
                });
                then.accept(c);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }, ctx::fail);
    }

    private void forward(RoutingContext ctx, Caller caller, UpstreamRouter.Route route, HttpMethod method, String path,
            Buffer body, Map<String, String> headers, Endpoint endpoint, Policy policy) {
        credentials.forCaller(caller, route.upstream().provider()).subscribe().with(
                credential -> forwarder.forward(ctx, route, method, path, body, headers, credential,
                        rejected -> credentials.refresh(caller, rejected), endpoint, policy),
                ctx::fail);
    }

    private byte[] writeJson(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private ObjectNode parseObject(RoutingContext ctx) {
        try {
            JsonNode node = ctx.body().buffer() == null ? null : json.readTree(ctx.body().buffer().getBytes());
            if (!(node instanceof ObjectNode object)) {
                throw GatewayException.invalidJson();
            }
            return object;
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidJson();
        } catch (java.io.IOException e) {
            throw GatewayException.invalidJson();
        }
    }

    /**
     * Counts the request in the metrics and the tokens it cost in the budget, then writes its audit event: an audited
     * request's tokens are counted by the time its event can be read.
     */
    private void publish(RoutingContext ctx, Exchange exchange) {
        Caller caller = exchange.caller();
        TokenUsage usage = exchange.usage();
        ProxyRequestCompleted event = new ProxyRequestCompleted(exchange.requestId(), exchange.endpoint(),
                exchange.model(), exchange.stream(), ctx.response().getStatusCode(), exchange.errorCode(),
                exchange.upstream(), exchange.credential(), exchange.elapsedMillis(), ctx.request().bytesRead(),
                ctx.response().bytesWritten(), exchange.decision(), exchange.findings(), usage);
        metrics.completed(event);
        // only a forwarded request has a usage, and only an authenticated one is forwarded
        Uni<Void> counted = usage == null ? Uni.createFrom().voidItem()
                : budget.record(caller.tenant(), caller.subject(), usage);
        counted.subscribe().with(done -> events.requestCompleted(caller != null ? caller.tenant()
                : config.defaultTenant(), caller != null ? caller.subject() : null, event));
    }
}
