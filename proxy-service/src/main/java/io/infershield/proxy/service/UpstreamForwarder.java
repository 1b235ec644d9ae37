package io.infershield.proxy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.security.Policy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends a request upstream with the chosen credential and relays the answer as it arrives, so a streamed completion
 * reaches the IDE chunk by chunk and is never held whole in memory. A successful answer of an endpoint that costs
 * tokens passes through a {@link UsageMeter}, which counts them. Under a policy, a streamed answer passes through a
 * {@link StreamGuard} (bounded hold-back, redaction, a final error event on block) and a JSON completion is scanned
 * whole; otherwise bytes are piped unchanged. Either way the upstream is paused while the client is not writable, and
 * when the IDE goes away mid-stream the upstream request is reset too, so the provider stops generating (and billing)
 * for nobody.
 */
@ApplicationScoped
public class UpstreamForwarder {

    private static final Logger LOG = Logger.getLogger(UpstreamForwarder.class);

    /** Response headers worth passing on; hop-by-hop and provider-internal headers stay behind. */
    private static final List<String> RELAYED_HEADERS = List.of("content-type", "cache-control", "openai-processing-ms",
            "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-tokens", "retry-after", "request-id", "anthropic-ratelimit-requests-limit",
            "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-limit",
            "anthropic-ratelimit-tokens-remaining");

    private final HttpClient client;
    private final ProxyConfig config;
    private final SecurityLayer security;
    private final ObjectMapper json;

    UpstreamForwarder(Vertx vertx, ProxyConfig config, SecurityLayer security, ObjectMapper json) {
        this.config = config;
        this.security = security;
        this.json = json;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Forwards to {@code <base><path>} of {@code route}'s upstream with {@code credential} (as a bearer token, or an org
     * key in the upstream's {@code key-header}) and relays the answer to the caller. When the upstream rejects the caller's own linked token, {@code refresh} is asked
     * once for a replacement and the request is sent again (Copilot tokens are refreshed on a 401, product.md).
     * A successful answer is scanned as an answer of {@code endpoint} under {@code policy} unless that is null.
     * Fails the routing context with a {@link GatewayException} when no answer can be relayed.
     */
    public void forward(RoutingContext ctx, UpstreamRouter.Route route, HttpMethod method, String path, Buffer body,
            Map<String, String> headers, UpstreamCredential credential,
            Function<UpstreamCredential, Uni<UpstreamCredential>> refresh, Endpoint endpoint, Policy policy) {
        Exchange exchange = ctx.get(Exchange.KEY);
        exchange.forwardedTo(route.name(), credential.kind());
        String base = route.upstream().url().orElse(credential.apiBase());
        if (base == null || base.isBlank()) {
            ctx.fail(GatewayException.noUpstreamCredential(credential.provider()));
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(base + path)
                .setIdleTimeout(config.idleTimeout().toMillis())
                .putHeader(HttpHeaders.ACCEPT, ctx.request().headers().get(HttpHeaders.ACCEPT) == null
                        ? "application/json" : ctx.request().headers().get(HttpHeaders.ACCEPT))
                .putHeader("X-Request-Id", exchange.requestId());
        route.upstream().keyHeader().filter(h -> !credential.own()).ifPresentOrElse(
                h -> options.putHeader(h, credential.token()),
                () -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credential.token()));
        headers.forEach(options::putHeader);
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        HttpServerResponse downstream = ctx.response();
        client.request(options)
                .compose(request -> {
                    downstream.closeHandler(v -> request.reset());
                    return body == null ? request.send() : request.send(body);
                })
                .onSuccess(upstream -> {
                    if (upstream.statusCode() == 401 || upstream.statusCode() == 403) {
                        upstream.body().onComplete(ignored -> rejected(ctx, route, method, path, body, headers,
                                credential, refresh, endpoint, policy));
                    } else {
                        relay(ctx, upstream, endpoint, policy);
                    }
                })
                .onFailure(e -> {
                    LOG.warnf("request %s: upstream failed: %s", exchange.requestId(), e.getClass().getSimpleName());
                    if (!downstream.headWritten()) {
                        ctx.fail(GatewayException.upstreamUnavailable());
                    }
                });
    }

    private void rejected(RoutingContext ctx, UpstreamRouter.Route route, HttpMethod method, String path, Buffer body,
            Map<String, String> headers, UpstreamCredential credential,
            Function<UpstreamCredential, Uni<UpstreamCredential>> refresh, Endpoint endpoint, Policy policy) {
        if (!credential.own()) {
            // The IDE must not read this as "your gateway credential is wrong": it is the org's upstream key.
            ctx.fail(GatewayException.upstreamRejectedOrgKey());
        } else if (refresh == null || ctx.request().connection() == null || ctx.response().closed()) {
            ctx.fail(GatewayException.upstreamRejectedUserToken(credential.provider()));
        } else {
            refresh.apply(credential).subscribe().with(
                    fresh -> forward(ctx, route, method, path, body, headers, fresh, null, endpoint, policy),
                    ctx::fail);
        }
    }

    private void relay(RoutingContext ctx, HttpClientResponse upstream, Endpoint endpoint, Policy policy) {
        Exchange exchange = ctx.get(Exchange.KEY);
        HttpServerResponse downstream = ctx.response().setStatusCode(upstream.statusCode());
        for (String name : RELAYED_HEADERS) {
            String value = upstream.getHeader(name);
            if (value != null) {
                downstream.putHeader(name, value);
            }
        }
        if (upstream.statusCode() >= 400) {
            exchange.errorCode("upstream_" + upstream.statusCode());
        }
        String type = String.valueOf(upstream.getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        boolean success = upstream.statusCode() / 100 == 2;
        boolean eventStream = type.startsWith("text/event-stream");
        UsageMeter meter = null;
        if (success && endpoint != null && endpoint.costsTokens()) {
            meter = new UsageMeter(eventStream, exchange.usageHidden(), ctx.body().length(), json);
            exchange.metered(meter);
        }
        if (policy != null && success && eventStream) {
            transform(ctx, upstream, true, meter, security.streamGuard(endpoint.api(), policy));
        } else if (policy != null && success && type.contains("json")) {
            scanCompletion(ctx, upstream, endpoint, policy, meter);
        } else if (meter != null) {
            transform(ctx, upstream, eventStream, meter, null);
        } else {
            pipe(ctx, upstream);
        }
    }

    private void pipe(RoutingContext ctx, HttpClientResponse upstream) {
        HttpServerResponse downstream = ctx.response();
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            downstream.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            downstream.setChunked(true);
        }
        upstream.pipeTo(downstream).onFailure(e -> interrupted(ctx, upstream, e));
    }

    /**
     * Relays an answer through {@code meter}, then {@code guard} (either may be null), pausing the upstream while the
     * client's buffer is full. Only an event stream has a guard, and only an event stream is changed by its meter: any
     * other answer keeps its length.
     */
    private void transform(RoutingContext ctx, HttpClientResponse upstream, boolean eventStream, UsageMeter meter,
            StreamGuard guard) {
        Exchange exchange = ctx.get(Exchange.KEY);
        HttpServerResponse downstream = ctx.response();
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (!eventStream && length != null) {
            downstream.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            downstream.setChunked(true);
        }
        upstream.handler(chunk -> {
            byte[] out;
            try {
                out = chunk.getBytes();
                if (meter != null) {
                    out = meter.accept(out);
                }
                if (guard != null) {
                    out = guard.accept(out);
                }
            } catch (RuntimeException e) {
                interrupted(ctx, upstream, e);
                return;
            }
            if (guard != null && guarded(exchange, guard)) {
                upstream.handler(null).endHandler(null).exceptionHandler(null);
                // The provider stops generating an answer nobody will see.
                upstream.request().reset();
                downstream.end(Buffer.buffer(out));
                return;
            }
            if (out.length > 0) {
                downstream.write(Buffer.buffer(out));
            }
            if (downstream.writeQueueFull()) {
                upstream.pause();
                downstream.drainHandler(v -> upstream.resume());
            }
        });
        upstream.exceptionHandler(e -> interrupted(ctx, upstream, e));
        upstream.endHandler(v -> {
            Buffer out = Buffer.buffer();
            try {
                byte[] rest = meter != null ? meter.finish() : new byte[0];
                if (guard != null) {
                    out.appendBytes(guard.accept(rest)).appendBytes(guard.finish());
                    guarded(exchange, guard);
                } else {
                    out.appendBytes(rest);
                }
            } catch (RuntimeException e) {
                interrupted(ctx, upstream, e);
                return;
            }
            downstream.end(out);
        });
    }

    /** Records what {@code guard} found so far; answers whether it blocked the stream. */
    private static boolean guarded(Exchange exchange, StreamGuard guard) {
        exchange.scanned(guard.action(), guard.drainFindings());
        if (guard.blocked()) {
            exchange.errorCode("blocked_by_policy");
        }
        return guard.blocked();
    }

    /**
     * Scans an answer that was not streamed, off the event loop: a long answer takes milliseconds to scan. Blocked,
     * the client gets the API's error instead; redacted, the JSON is written again.
     */
    private void scanCompletion(RoutingContext ctx, HttpClientResponse upstream, Endpoint endpoint, Policy policy,
            UsageMeter meter) {
        Exchange exchange = ctx.get(Exchange.KEY);
        upstream.body()
                .compose(body -> ctx.vertx().executeBlocking(() -> scanned(body, endpoint, policy, meter), false))
                .onSuccess(result -> {
                    if (result.verdict() != null) {
                        SecurityLayer.Verdict verdict = result.verdict();
                        exchange.scanned(verdict.action(), verdict.findings());
                        if (verdict.blocking() != null) {
                            ctx.fail(GatewayException.blocked(verdict.blocking().category().wire(),
                                    verdict.blocking().type(), true));
                            return;
                        }
                    }
                    ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(result.body().length()))
                            .end(result.body());
                })
                .onFailure(e -> interrupted(ctx, upstream, e));
    }

    private record Scanned(SecurityLayer.Verdict verdict, Buffer body) {
    }

    private Scanned scanned(Buffer body, Endpoint endpoint, Policy policy, UsageMeter meter) {
        if (meter != null) {
            // counted whatever the scan decides: the provider billed the answer even if the client never sees it
            meter.accept(body.getBytes());
            meter.finish();
        }
        JsonNode completion;
        try {
            completion = json.readTree(body.getBytes());
        } catch (IOException e) {
            return new Scanned(null, body); // not a completion: relayed as it came
        }
        SecurityLayer.Verdict verdict = security.scanCompletion(endpoint, completion, policy);
        if (!verdict.redacted()) {
            return new Scanned(verdict, body);
        }
        try {
            return new Scanned(verdict, Buffer.buffer(json.writeValueAsBytes(completion)));
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private void interrupted(RoutingContext ctx, HttpClientResponse upstream, Throwable e) {
        Exchange exchange = ctx.get(Exchange.KEY);
        // The stream broke after the status line went out: all that is left is to cut both connections.
        LOG.warnf("request %s: stream interrupted: %s", exchange.requestId(), e.getClass().getSimpleName());
        exchange.errorCode("stream_interrupted");
        upstream.request().reset();
        if (ctx.response().headWritten()) {
            ctx.response().reset();
        } else {
            ctx.fail(GatewayException.upstreamUnavailable());
        }
    }
}
