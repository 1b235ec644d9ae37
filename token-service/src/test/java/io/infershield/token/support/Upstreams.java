package io.infershield.token.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.MutableClock;
import io.infershield.testkit.sim.OpenAiAuthSimulator;

/** The simulated upstreams of one test application, and the clock the simulators read. */
public record Upstreams(GitHubSimulator github, OpenAiAuthSimulator openai, WireMockServer corp, MutableClock clock) {
}
