package io.infershield.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.sim.AnthropicSimulator;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * proxy-service's neighbours for a {@code @QuarkusTest}: WireMock plays auth-service, token-service and Keycloak's token
 * endpoint (their contracts are in docs/architecture.md), and the testkit's simulators play OpenAI, Anthropic and GitHub
 * Copilot. A second Anthropic upstream, for models prefixed {@code wm/}, is WireMock under {@code /anthropic}, so that a
 * test can have an answer streamed exactly as it needs.
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    static final String ORG_KEY = "sk-test-org-key-0123456789";
    static final String ANTHROPIC_ORG_KEY = "sk-ant-test-org-key-0123456789";
    /** The client-credentials token "Keycloak" hands proxy-service for its calls to token-service. */
    static final String SERVICE_TOKEN = "svc-token-of-infershield-proxy";

    /** Keycloak's token endpoint, as proxy-service's OIDC client calls it (client credentials, RFC 6749 §4.4). */
    static void stubServiceToken(WireMockServer services) {
        services.stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .post(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                        "/realms/infershield/protocol/openid-connect/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "grant_type=client_credentials"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    /** A token-service credential answer (docs/architecture.md). */
    static String credential(String provider, String source, String token, long version, String apiBase) {
        return "{\"provider\":\"" + provider + "\",\"source\":\"" + source + "\",\"token\":\"" + token
                + "\",\"version\":" + version + ",\"expiresAt\":null,\"apiBase\":"
                + (apiBase == null ? "null" : "\"" + apiBase + "\"") + "}";
    }

    private WireMockServer services;
    private OpenAiSimulator openai;
    private AnthropicSimulator anthropic;
    private GitHubSimulator github;

    @Override
    public Map<String, String> start() {
        services = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        services.start();
        openai = OpenAiSimulator.start(0, ORG_KEY);
        anthropic = AnthropicSimulator.start(0, ANTHROPIC_ORG_KEY);
        github = GitHubSimulator.start(java.time.Clock.systemUTC());
        return Map.of(
                "quarkus.rest-client.auth-service.url", services.baseUrl(),
                "quarkus.rest-client.token-service.url", services.baseUrl(),
                "quarkus.oidc-client.auth-server-url", services.baseUrl() + "/realms/infershield",
                "proxy.upstreams.openai.url", openai.baseUrl(),
                "proxy.upstreams.anthropic.url", anthropic.baseUrl(),
                "proxy.upstreams.anthropic-wm.url", services.baseUrl() + "/anthropic",
                "proxy.upstreams.anthropic-wm.provider", "anthropic",
                "proxy.upstreams.anthropic-wm.api", "anthropic",
                "proxy.upstreams.anthropic-wm.key-header", "x-api-key",
                "proxy.upstreams.anthropic-wm.model-prefix", "wm/");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(services, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, WireMockServer.class));
        injector.injectIntoFields(openai, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, OpenAiSimulator.class));
        injector.injectIntoFields(anthropic,
                new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, AnthropicSimulator.class));
        injector.injectIntoFields(github, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, GitHubSimulator.class));
    }

    @Override
    public void stop() {
        if (services != null) {
            services.stop();
        }
        if (openai != null) {
            openai.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
        if (github != null) {
            github.close();
        }
    }
}
