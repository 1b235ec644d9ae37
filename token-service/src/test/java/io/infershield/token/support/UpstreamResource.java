package io.infershield.token.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.MutableClock;
import io.infershield.testkit.sim.OpenAiAuthSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The upstream providers a test application talks to: testkit's GitHub and OpenAI simulators on one moving clock, and
 * a WireMock standing in for a standard RFC 8628 IdP ({@code corp}) with a token and an RFC 7009 revocation endpoint.
 * Points {@code token.providers.*} at them; {@link Upstreams} fields annotated with {@link InjectInfra} receive them.
 */
public class UpstreamResource implements QuarkusTestResourceLifecycleManager {

    /** The confidential client the {@code corp} provider knows token-service as. */
    public static final String CORP_CLIENT_ID = "infershield-token";
    public static final String CORP_CLIENT_SECRET = "test-only-corp-secret";

    private Upstreams upstreams;

    @Override
    public Map<String, String> start() {
        MutableClock clock = new MutableClock(Instant.now());
        WireMockServer corp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        corp.start();
        upstreams = new Upstreams(GitHubSimulator.start(clock), OpenAiAuthSimulator.start(clock), corp, clock);
        String corpUrl = "http://127.0.0.1:" + corp.port();
        return Map.of(
                "token.providers.github.copilot-token-url", upstreams.github().baseUrl() + "/copilot_internal/v2/token",
                "token.providers.openai.token-url", upstreams.openai().baseUrl() + "/oauth/token",
                "token.providers.corp.kind", "rfc8628",
                "token.providers.corp.token-url", corpUrl + "/token",
                "token.providers.corp.revocation-url", corpUrl + "/revoke",
                "token.providers.corp.client-id", CORP_CLIENT_ID,
                "token.providers.corp.client-secret", CORP_CLIENT_SECRET,
                "token.providers.corp.api-base", corpUrl + "/api");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstreams, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, Upstreams.class));
    }

    @Override
    public void stop() {
        if (upstreams != null) {
            upstreams.github().close();
            upstreams.openai().close();
            upstreams.corp().stop();
        }
    }
}
