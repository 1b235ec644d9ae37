package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
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
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                .setKeepAlive(true)
                .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Forwards to {@code <base><path>} with {@code apiKey} as the bearer credential and relays the answer to the caller.
     * Fails the routing context with a {@link GatewayException} when no answer can be relayed.
     */
    public void forward(RoutingContext ctx, HttpMethod method, String base, String path, String apiKey, Buffer body) {
        Exchange exchange = ctx.get(Exchange.KEY);
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(base + path)
                .setIdleTimeout(config.upstream().idleTimeout().toMillis())
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
                .putHeader(HttpHeaders.ACCEPT, ctx.request().headers().get(HttpHeaders.ACCEPT) == null
                        ? "application/json" : ctx.request().headers().get(HttpHeaders.ACCEPT))
                .putHeader("X-Request-Id", exchange.requestId());
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        HttpServerResponse downstream = ctx.response();
        client.request(options)
                .compose(request -> {
                    downstream.closeHandler(v -> request.reset());
                    return body == null ? request.send() : request.send(body);
                })
                .onSuccess(upstream -> relay(ctx, upstream))
                .onFailure(e -> {
                    LOG.warnf("request %s: upstream failed: %s", exchange.requestId(), e.getClass().getSimpleName());
                    if (!downstream.headWritten()) {
                        ctx.fail(GatewayException.upstreamUnavailable());
                    }
                });
    }

    private void relay(RoutingContext ctx, HttpClientResponse upstream) {
        Exchange exchange = ctx.get(Exchange.KEY);
        if (upstream.statusCode() == 401 || upstream.statusCode() == 403) {
            // The IDE must not read this as "your gateway credential is wrong": it is the org's upstream key.
            upstream.body().onComplete(ignored -> ctx.fail(GatewayException.upstreamRejectedOrgKey()));
            return;
        }
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
