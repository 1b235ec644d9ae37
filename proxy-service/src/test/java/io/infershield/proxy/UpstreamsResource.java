package io.infershield.proxy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.sim.OpenAiSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * proxy-service's neighbours for a {@code @QuarkusTest}: WireMock plays auth-service and token-service (their contracts
 * are in docs/architecture.md), and the testkit's simulator plays the OpenAI upstream.
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    static final String ORG_KEY = "sk-test-org-key-0123456789";

    private WireMockServer services;
    private OpenAiSimulator openai;

    @Override
    public Map<String, String> start() {
        services = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        services.start();
        openai = OpenAiSimulator.start(0, ORG_KEY);
        return Map.of(
                "quarkus.rest-client.auth-service.url", services.baseUrl(),
                "quarkus.rest-client.token-service.url", services.baseUrl(),
                "proxy.upstream.openai.url", openai.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(services, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, WireMockServer.class));
        injector.injectIntoFields(openai, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, OpenAiSimulator.class));
    }

    @Override
    public void stop() {
        if (services != null) {
            services.stop();
        }
        if (openai != null) {
            openai.close();
        }
    }
}
