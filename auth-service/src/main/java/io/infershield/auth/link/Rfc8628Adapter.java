package io.infershield.auth.link;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infershield.auth.config.AuthConfig;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The standard device flow (RFC 8628 §3.1 and §3.4, form-encoded) for any IdP, found by its discovery document or
 * configured endpoints; a confidential client authenticates by {@code client_secret_basic} or
 * {@code client_secret_post} (RFC 6749 §2.3.1).
 * <p>
 * GitHub is this adapter with GitHub's endpoints and client id as defaults: its quirks (errors with HTTP 200,
 * form-encoded answers, {@code token_expired}, comma-separated scopes) are all handled where every provider's answers
 * are read ({@link OAuthBodies}, {@link DeviceFlow}, {@link LinkOutcome.Success#scopes()}), and
 * {@code Accept: application/json} is sent on every request (checklist B7).
 */
final class Rfc8628Adapter implements ProviderAdapter {

    private static final Logger LOG = Logger.getLogger(Rfc8628Adapter.class);
    private static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    private static final String CLIENT_SECRET_POST = "client_secret_post";

    static final String GITHUB_DEVICE_AUTHORIZATION_URL = "https://github.com/login/device/code";
    static final String GITHUB_TOKEN_URL = "https://github.com/login/oauth/access_token";
    static final String GITHUB_CLIENT_ID = "Iv1.b507a08c87ecfe98";
    static final String GITHUB_SCOPE = "read:user";

    /** Where to send requests; discovered at most once, or configured. */
    record Endpoints(String deviceAuthorization, String token) {
    }

    private final UpstreamHttp http;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final boolean basicAuthentication;
    private final Optional<String> scope;
    private final Map<String, String> headers;
    private final Optional<String> discoveryUrl;
    private final Optional<String> configuredDeviceAuthorization;
    private final Optional<String> configuredToken;
    private volatile CompletableFuture<Endpoints> endpoints;

    private Rfc8628Adapter(UpstreamHttp http, String clientId, AuthConfig.LinkProvider config, Optional<String> scope,
            Optional<String> deviceAuthorization, Optional<String> token) {
        this.http = http;
        this.clientId = clientId;
        this.clientSecret = config.clientSecret().filter(secret -> !secret.isBlank());
        this.basicAuthentication = clientSecret.isPresent() && config.clientAuthMethod().equals(CLIENT_SECRET_BASIC);
        this.scope = scope;
        this.headers = Map.copyOf(config.headers());
        this.discoveryUrl = config.discoveryUrl();
        this.configuredDeviceAuthorization = deviceAuthorization;
        this.configuredToken = token;
        if (deviceAuthorization.isPresent() && token.isPresent()) {
            endpoints = CompletableFuture.completedFuture(new Endpoints(deviceAuthorization.get(), token.get()));
        }
    }

    static Rfc8628Adapter github(AuthConfig.LinkProvider config, UpstreamHttp http) {
        return new Rfc8628Adapter(http, config.clientId().orElse(GITHUB_CLIENT_ID), config,
                Optional.of(config.scope().orElse(GITHUB_SCOPE)),
                Optional.of(config.deviceAuthorizationUrl().orElse(GITHUB_DEVICE_AUTHORIZATION_URL)),
                Optional.of(config.tokenUrl().orElse(GITHUB_TOKEN_URL)));
    }

    static Rfc8628Adapter standard(String name, AuthConfig.LinkProvider config, UpstreamHttp http) {
        String clientId = config.clientId().orElseThrow(() ->
                new IllegalStateException("auth.link.providers." + name + ".client-id is required for kind rfc8628"));
        boolean endpointsKnown = config.deviceAuthorizationUrl().isPresent() && config.tokenUrl().isPresent();
        if (!endpointsKnown && config.discoveryUrl().isEmpty()) {
            throw new IllegalStateException("auth.link.providers." + name
                    + " needs discovery-url, or both device-authorization-url and token-url");
        }
        String method = config.clientAuthMethod();
        if (!method.equals(CLIENT_SECRET_BASIC) && !method.equals(CLIENT_SECRET_POST)) {
            throw new IllegalStateException("auth.link.providers." + name
                    + ".client-auth-method must be client_secret_basic or client_secret_post");
        }
        return new Rfc8628Adapter(http, clientId, config, config.scope(), config.deviceAuthorizationUrl(),
                config.tokenUrl());
    }

    @Override
    public CompletableFuture<DeviceAuthorizationResponse> authorize() {
        return endpoints()
                .thenCompose(endpoints -> {
                    Map<String, String> form = clientParameters();
                    scope.ifPresent(value -> form.put("scope", value));
                    return send(endpoints.deviceAuthorization(), form);
                })
                .handle(Rfc8628Adapter::readAuthorization);
    }

    @Override
    public TokenEndpointTransport transport(DeviceAuthorizationResponse authorization) {
        // RFC 8628 §3.4
        return deviceCode -> endpoints().thenCompose(endpoints -> {
            Map<String, String> form = clientParameters();
            form.put("grant_type", DEVICE_CODE_GRANT);
            form.put("device_code", deviceCode.value());
            return send(endpoints.token(), form);
        });
    }

    private CompletableFuture<TokenEndpointResponse> send(String url, Map<String, String> form) {
        UpstreamHttp.BasicCredentials basic = basicAuthentication
                ? new UpstreamHttp.BasicCredentials(clientId, clientSecret.orElseThrow()) : null;
        return http.postForm(url, form, headers, basic);
    }

    /** RFC 8628 §3.1 and §3.4: client_id in the body unless the client authenticates with HTTP Basic. */
    private Map<String, String> clientParameters() {
        Map<String, String> form = new LinkedHashMap<>();
        if (!basicAuthentication) {
            form.put("client_id", clientId);
            clientSecret.ifPresent(secret -> form.put("client_secret", secret));
        }
        return form;
    }

    /** The configured endpoints, or those of the discovery document (RFC 8414 §3), fetched until once successful. */
    private CompletableFuture<Endpoints> endpoints() {
        CompletableFuture<Endpoints> known = endpoints;
        if (known != null && !known.isCompletedExceptionally()) {
            return known;
        }
        CompletableFuture<Endpoints> discovered = http.get(discoveryUrl.orElseThrow(), headers).thenApply(response -> {
            if (response.status() != 200) {
                throw new ProviderRefused(response.status() >= 500 ? ProviderRefused.UNREACHABLE
                        : LinkOutcome.INVALID_RESPONSE);
            }
            ObjectNode document = OAuthBodies.parse(response.body(), "application/json");
            return new Endpoints(
                    configuredDeviceAuthorization.orElseGet(() -> endpoint(document, "device_authorization_endpoint")),
                    configuredToken.orElseGet(() -> endpoint(document, "token_endpoint")));
        });
        endpoints = discovered;
        return discovered;
    }

    private static String endpoint(ObjectNode document, String name) {
        return OAuthBodies.string(document, name).filter(url -> url.startsWith("https://") || url.startsWith("http://"))
                .orElseThrow(() -> new InvalidProviderResponse("the discovery document has no usable '" + name + "'"));
    }

    /**
     * Reads the device authorization answer (RFC 8628 §3.2). An error is checked before the status, since GitHub
     * refuses with HTTP 200 (checklist B7).
     */
    static DeviceAuthorizationResponse readAuthorization(TokenEndpointResponse response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof ProviderRefused refused) {
                throw refused;
            }
            if (cause instanceof InvalidProviderResponse invalid) {
                LOG.warnf("device authorization failed: %s", invalid.getMessage());
                throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
            }
            throw new ProviderRefused(ProviderRefused.UNREACHABLE);
        }
        if (response.status() >= 500 || response.status() == 429) {
            throw new ProviderRefused(ProviderRefused.UNREACHABLE);
        }
        String contentType = response.header("Content-Type").orElse(null);
        Optional<String> error;
        try {
            error = OAuthBodies.error(OAuthBodies.parse(response.body(), contentType));
        } catch (InvalidProviderResponse e) {
            LOG.warnf("device authorization answered HTTP %d: %s", response.status(), e.getMessage());
            throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
        }
        if (error.isPresent()) {
            throw new ProviderRefused(error.get());
        }
        if (response.status() != 200) {
            throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
        }
        try {
            return DeviceAuthorizationResponse.parse(response.body(), contentType);
        } catch (InvalidProviderResponse e) {
            // the message names the field, never its value (checklist B8)
            LOG.warn(e.getMessage());
            throw new ProviderRefused(LinkOutcome.INVALID_RESPONSE);
        }
    }
}
