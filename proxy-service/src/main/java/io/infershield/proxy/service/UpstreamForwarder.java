package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
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

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends a request upstream with the chosen credential and relays the answer byte for byte as it arrives, so a streamed
 * completion reaches the IDE chunk by chunk and is never held whole in memory. When the IDE goes away mid-stream, the
 * upstream request is reset too, so the provider stops generating (and billing) for nobody.
 */
@ApplicationScoped
public class UpstreamForwarder {

    private static final Logger LOG = Logger.getLogger(UpstreamForwarder.class);

    /** Response headers worth passing on; hop-by-hop and provider-internal headers stay behind. */
    private static final List<String> RELAYED_HEADERS = List.of("content-type", "cache-control", "openai-processing-ms",
            "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-tokens", "retry-after");

    private final HttpClient client;
    private final ProxyConfig config;

    UpstreamForwarder(Vertx vertx, ProxyConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Forwards to {@code <base><path>} of {@code route}'s upstream with {@code credential} as the bearer credential and
     * relays the answer to the caller. When the upstream rejects the caller's own linked token, {@code refresh} is asked
     * once for a replacement and the request is sent again (Copilot tokens are refreshed on a 401, product.md).
     * Fails the routing context with a {@link GatewayException} when no answer can be relayed.
     */
    public void forward(RoutingContext ctx, UpstreamRouter.Route route, HttpMethod method, String path, Buffer body,
            Map<String, String> headers, UpstreamCredential credential,
            Function<UpstreamCredential, Uni<UpstreamCredential>> refresh) {
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
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credential.token())
                .putHeader(HttpHeaders.ACCEPT, ctx.request().headers().get(HttpHeaders.ACCEPT) == null
                        ? "application/json" : ctx.request().headers().get(HttpHeaders.ACCEPT))
                .putHeader("X-Request-Id", exchange.requestId());
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
                                credential, refresh));
                    } else {
                        relay(ctx, upstream);
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
            Function<UpstreamCredential, Uni<UpstreamCredential>> refresh) {
        if (!credential.own()) {
            // The IDE must not read this as "your gateway credential is wrong": it is the org's upstream key.
            ctx.fail(GatewayException.upstreamRejectedOrgKey());
        } else if (refresh == null || ctx.request().connection() == null || ctx.response().closed()) {
            ctx.fail(GatewayException.upstreamRejectedUserToken(credential.provider()));
        } else {
            refresh.apply(credential).subscribe().with(
                    fresh -> forward(ctx, route, method, path, body, headers, fresh, null), ctx::fail);
        }
    }

    private void relay(RoutingContext ctx, HttpClientResponse upstream) {
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
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            downstream.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            downstream.setChunked(true);
        }
        upstream.pipeTo(downstream).onFailure(e -> {
            // The stream broke after the status line went out: all that is left is to cut the connection.
            LOG.warnf("request %s: stream interrupted: %s", exchange.requestId(), e.getClass().getSimpleName());
            exchange.errorCode("stream_interrupted");
            downstream.reset();
        });
    }
}
