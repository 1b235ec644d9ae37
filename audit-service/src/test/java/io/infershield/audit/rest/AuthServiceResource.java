package io.infershield.audit.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** WireMock plays auth-service's admin API (docs/architecture.md) for the dashboard's user management. */
public class AuthServiceResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer auth;

    @Override
    public Map<String, String> start() {
        auth = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        auth.start();
        return Map.of("quarkus.rest-client.auth-service.url", auth.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(auth, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (auth != null) {
            auth.stop();
        }
    }
}
