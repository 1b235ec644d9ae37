package io.infershield.auth.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.MutableClock;
import io.infershield.testkit.sim.OpenAiAuthSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The upstreams of account linking for a {@code @QuarkusTest}: the GitHub and OpenAI sign-in simulators, and one
 * WireMock that plays token-service and a standard RFC 8628 IdP. Configures one provider entry per scenario, each a
 * plain configuration of its kind (no test code in the service). Injected into {@link InjectInfra} fields of type
 * {@link Upstreams}.
 */
public class LinkUpstreams implements QuarkusTestResourceLifecycleManager {

    /** A GitHub OAuth app whose device flow is switched off. */
    public static final String DISABLED_CLIENT = "Iv1.device-flow-off";
    /** A client id GitHub does not know. */
    public static final String UNKNOWN_CLIENT = "Iv1.nobody-registered-this";
    public static final String IDP_CLIENT = "infershield-link";
    public static final String IDP_SECRET = "test-only-idp-secret";

    /** The started upstreams; {@code clock} is the simulators' time, moved together with the application's. */
    public record Upstreams(MutableClock clock, GitHubSimulator github, OpenAiAuthSimulator openai,
            WireMockServer wiremock) {
    }

    private Upstreams upstreams;

    @Override
    public Map<String, String> start() {
        MutableClock clock = new MutableClock(Instant.now());
        GitHubSimulator github = GitHubSimulator.start(clock);
        github.registerClient(DISABLED_CLIENT).deviceFlowEnabled(DISABLED_CLIENT, false);
        OpenAiAuthSimulator openai = OpenAiAuthSimulator.start(clock);
        WireMockServer wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
        upstreams = new Upstreams(clock, github, openai, wiremock);

        String gh = github.baseUrl();
        String wm = wiremock.baseUrl();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.rest-client.token-service.url", wm);
        github("github", gh, config);
        // a host that ignores Accept and answers form-encoded, as GitHub does without Accept: application/json
        github("github-form", gh, config);
        config.put("auth.link.providers.github-form.headers.Accept", "*/*");
        github("github-disabled", gh, config);
        config.put("auth.link.providers.github-disabled.client-id", DISABLED_CLIENT);
        github("github-unknown", gh, config);
        config.put("auth.link.providers.github-unknown.client-id", UNKNOWN_CLIENT);

        String ai = openai.baseUrl();
        config.put("auth.link.providers.openai.user-code-url", ai + "/api/accounts/deviceauth/usercode");
        config.put("auth.link.providers.openai.device-token-url", ai + "/api/accounts/deviceauth/token");
        config.put("auth.link.providers.openai.token-url", ai + "/oauth/token");
        config.put("auth.link.providers.openai.verification-url", openai.verificationUrl());
        config.put("auth.link.providers.openai.redirect-uri", openai.redirectUri());

        config.put("auth.link.providers.corp-idp.kind", "rfc8628");
        config.put("auth.link.providers.corp-idp.discovery-url", wm + "/idp/.well-known/openid-configuration");
        config.put("auth.link.providers.corp-idp.client-id", IDP_CLIENT);
        config.put("auth.link.providers.corp-idp.client-secret", IDP_SECRET);
        config.put("auth.link.providers.corp-idp.scope", "openid offline_access");
        config.put("auth.link.providers.corp-idp-post.kind", "rfc8628");
        config.put("auth.link.providers.corp-idp-post.device-authorization-url", wm + "/idp-post/device");
        config.put("auth.link.providers.corp-idp-post.token-url", wm + "/idp-post/token");
        config.put("auth.link.providers.corp-idp-post.client-id", IDP_CLIENT);
        config.put("auth.link.providers.corp-idp-post.client-secret", IDP_SECRET);
        config.put("auth.link.providers.corp-idp-post.client-auth-method", "client_secret_post");
        return config;
    }

    private static void github(String name, String base, Map<String, String> config) {
        config.put("auth.link.providers." + name + ".kind", "github");
        config.put("auth.link.providers." + name + ".device-authorization-url", base + "/login/device/code");
        config.put("auth.link.providers." + name + ".token-url", base + "/login/oauth/access_token");
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
            upstreams.wiremock().stop();
        }
    }
}
