package io.infershield.auth.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.infershield.auth.link.ScriptedTransport.error;
import static io.infershield.auth.link.ScriptedTransport.form;
import static io.infershield.auth.link.ScriptedTransport.json;
import static io.infershield.auth.link.ScriptedTransport.pending;
import static io.infershield.auth.link.ScriptedTransport.serverError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polling rules of checklist section B, driven by a fake timeline: every wait is asserted to the second. */
class DeviceFlowPollerTest {

    private static final String DEVICE_CODE = "dc-7f3a9-secret";
    private static final TokenEndpointResponse SUCCESS =
            json(200, "{\"access_token\":\"gho_token\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}");

    private final FakeTimeline timeline = new FakeTimeline();
    private final ScriptedTransport transport = new ScriptedTransport(timeline);
    private final DeviceFlowPoller poller = new DeviceFlowPoller(timeline, timeline, Duration.ofSeconds(60));

    @Test
    void firstPollComesOneIntervalAfterTheStart() {
        transport.then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L), timeline.delaySeconds());
        assertEquals(List.of(5L), transport.pollSeconds());
        assertEquals(List.of(new DeviceCode(DEVICE_CODE)), transport.codes());
    }

    @Test
    void authorizationPendingKeepsTheInterval() {
        transport.then(pending()).then(pending()).then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L, 5L, 5L), timeline.delaySeconds());
        assertEquals(List.of(5L, 10L, 15L), transport.pollSeconds());
    }

    @Test
    void slowDownAddsFiveSecondsForGood() {
        transport.then(pending()).then(error(400, "slow_down")).then(pending()).then(pending()).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 5L, 10L, 10L, 10L), timeline.delaySeconds());
    }

    @Test
    void slowDownTakesTheBodyIntervalWhenItIsLonger() {
        transport.then(json(400, "{\"error\":\"slow_down\",\"interval\":15}")).then(pending()).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 15L, 15L), timeline.delaySeconds());
    }

    @Test
    void slowDownStillAddsFiveSecondsWhenTheBodyIntervalIsShorter() {
        transport.then(json(400, "{\"error\":\"slow_down\",\"interval\":\"3\"}")).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 10L), timeline.delaySeconds());
    }

    @ParameterizedTest
    @CsvSource({
            "access_denied, Denied,",
            "expired_token, Expired,",
            "token_expired, Expired,",
            "invalid_grant, Failed, invalid_grant",
            "incorrect_device_code, Failed, incorrect_device_code",
            "unsupported_grant_type, Failed, unsupported_grant_type" })
    void terminalErrorsEndTheFlowWithoutAnotherPoll(String code, String outcomeType, String failedCode) {
        transport.then(pending()).then(error(400, code));

        LinkOutcome outcome = run(authorization(900, 5));

        assertEquals(outcomeType, outcome.getClass().getSimpleName());
        if (failedCode != null) {
            assertEquals(new LinkOutcome.Failed(failedCode), outcome);
        }
        assertEquals(2, transport.pollCount());
        assertEquals(List.of(5L, 5L), timeline.delaySeconds());
    }

    @Test
    void retryAfterSecondsPostponesOnlyTheNextPoll() {
        transport.then(json(400, "{\"error\":\"authorization_pending\"}", "7")).then(pending()).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 7L, 5L), timeline.delaySeconds());
    }

    @Test
    void retryAfterHttpDatePostponesTheNextPollUntilThatDate() {
        // the poll happens at 10:00:05, so the next one waits until 10:00:17
        transport.then(json(400, "{\"error\":\"authorization_pending\"}", "Sun, 01 Jun 2025 10:00:17 GMT"))
                .then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 12L), timeline.delaySeconds());
        assertEquals(List.of(5L, 17L), transport.pollSeconds());
    }

    @Test
    void retryAfterShorterThanTheIntervalDoesNotSpeedPollingUp() {
        transport.then(json(400, "{\"error\":\"authorization_pending\"}", "1")).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 5L), timeline.delaySeconds());
    }

    @Test
    void serverErrorsBackOffByDoublingThenReturnToTheInterval() {
        transport.then(serverError(503)).then(serverError(503)).then(pending()).then(pending()).then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L, 10L, 20L, 5L, 5L), timeline.delaySeconds());
    }

    @Test
    void backOffStopsGrowingAtTheCeiling() {
        transport.then(serverError(500)).then(serverError(502)).then(serverError(503)).then(serverError(504))
                .then(serverError(500)).then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L, 10L, 20L, 40L, 60L, 60L), timeline.delaySeconds());
    }

    @Test
    void serverErrorWithRetryAfterWaitsForTheLongerOfTheTwo() {
        transport.then(json(503, "{}", "30")).then(SUCCESS);

        run(authorization(900, 5));

        assertEquals(List.of(5L, 30L), timeline.delaySeconds());
    }

    @Test
    void tooManyRequestsIsRetriedLikeAServerError() {
        transport.then(json(429, "{}")).then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L, 10L), timeline.delaySeconds());
    }

    @Test
    void connectionFailuresAreRetriedLikeServerErrors() {
        transport.thenConnectionFailure().thenConnectionFailure().then(pending()).then(SUCCESS);

        LinkOutcome outcome = run(authorization(900, 5));

        assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals(List.of(5L, 10L, 20L, 5L), timeline.delaySeconds());
    }

    @Test
    void flowExpiresInsteadOfPollingAfterExpiresIn() {
        // polls at 5 s and 10 s; a third at 15 s would be past the 12 s lifetime of the code
        LinkOutcome outcome = run(authorization(12, 5));

        assertEquals(new LinkOutcome.Expired(), outcome);
        assertEquals(List.of(5L, 10L), transport.pollSeconds());
        assertEquals(10L, timeline.elapsedSeconds());
    }

    @Test
    void noPollHappensAtTheExactExpiryInstant() {
        LinkOutcome outcome = run(authorization(10, 5));

        assertEquals(new LinkOutcome.Expired(), outcome);
        assertEquals(List.of(5L), transport.pollSeconds());
    }

    @Test
    void retryAfterBeyondTheDeadlineEndsTheFlowAtOnce() {
        transport.then(json(503, "{}", "3600"));

        LinkOutcome outcome = run(authorization(900, 5));

        assertEquals(new LinkOutcome.Expired(), outcome);
        assertEquals(1, transport.pollCount());
        assertEquals(5L, timeline.elapsedSeconds());
    }

    @Test
    void cancellingDuringAPollCancelsTheRequestInFlight() {
        transport.then(pending()).thenHang();
        DeviceFlow flow = poller.start(authorization(900, 5), transport);
        assertEquals(2, transport.pollCount());
        assertFalse(flow.outcome().toCompletableFuture().isDone());

        assertTrue(flow.cancel());

        assertTrue(transport.issued().get(1).isCancelled());
        assertEquals(new LinkOutcome.Cancelled(), flow.outcome().toCompletableFuture().getNow(null));
        assertFalse(flow.cancel(), "a flow ends once");
        assertEquals(2, transport.pollCount());
    }

    @Test
    void cancellingDuringTheWaitStopsTheTimerAndNeverPolls() {
        timeline.holdWaits();
        DeviceFlow flow = poller.start(authorization(900, 5), transport);

        assertTrue(flow.cancel());

        assertTrue(timeline.heldWaits().get(0).isCancelled());
        assertEquals(0, transport.pollCount());
        assertEquals(new LinkOutcome.Cancelled(), flow.outcome().toCompletableFuture().getNow(null));
    }

    @Test
    void cancellingAFinishedFlowChangesNothing() {
        transport.then(error(400, "access_denied"));
        DeviceFlow flow = poller.start(authorization(900, 5), transport);

        assertFalse(flow.cancel());
        assertEquals(new LinkOutcome.Denied(), flow.outcome().toCompletableFuture().getNow(null));
    }

    @Test
    void http200CarryingAnErrorIsAnError() {
        // GitHub answers every device-flow error with HTTP 200
        transport.then(error(200, "authorization_pending")).then(error(200, "slow_down"))
                .then(error(200, "access_denied"));

        LinkOutcome outcome = run(authorization(900, 5));

        assertEquals(new LinkOutcome.Denied(), outcome);
        assertEquals(List.of(5L, 5L, 10L), timeline.delaySeconds());
    }

    @Test
    void formEncodedAnswersAreParsedAndCommaSeparatedScopesSplit() {
        transport.then(form(200, "error=slow_down&error_description=Too+fast&interval=10"))
                .then(form(200, "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&token_type=bearer"
                        + "&scope=read%3Auser%2Crepo"));

        LinkOutcome outcome = run(authorization(900, 5));

        LinkOutcome.Success success = assertInstanceOf(LinkOutcome.Success.class, outcome);
        assertEquals("gho_16C7e42F292c6912E7710c838347Ae178B4a", success.accessToken());
        assertEquals(Optional.of("bearer"), success.tokenType());
        assertEquals(Set.of("read:user", "repo"), success.scopes());
        assertEquals(List.of(5L, 10L), timeline.delaySeconds());
    }

    @Test
    void jsonSuccessKeepsEveryScalarField() {
        transport.then(json(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_token\":\"rt\",\"scope\":\"openid profile\",\"extra\":{\"nested\":true}}"));

        LinkOutcome.Success success = assertInstanceOf(LinkOutcome.Success.class, run(authorization(900, 5)));

        assertEquals(java.util.Map.of("access_token", "at", "token_type", "Bearer", "expires_in", "3600",
                "refresh_token", "rt", "scope", "openid profile"), success.fields());
        assertEquals(Set.of("openid", "profile"), success.scopes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200 | {\"token_type\":\"bearer\"}",
            "200 | {\"access_token\":42}",
            "200 | <html>login</html>",
            "400 | not json at all {",
            "400 | {\"error\":\"bad\\\"quote\"}",
            "401 | {}",
            "400 | {\"access_token\":\"at\"}" })
    void unusableAnswersEndTheFlowAsInvalidResponse(int status, String body) {
        transport.then(json(status, body));

        LinkOutcome outcome = run(authorization(900, 5));

        assertEquals(new LinkOutcome.Failed(LinkOutcome.INVALID_RESPONSE), outcome);
        assertEquals(1, transport.pollCount());
    }

    @Test
    void outcomesAndResponsesNeverShowTokensOrTheDeviceCode() {
        transport.then(SUCCESS);
        LinkOutcome outcome = run(authorization(900, 5));

        assertEquals("Success[fields=[access_token, scope, token_type]]", outcome.toString());
        assertFalse(SUCCESS.toString().contains("gho_token"));
        assertFalse(transport.codes().toString().contains(DEVICE_CODE));
    }

    private LinkOutcome run(DeviceAuthorizationResponse authorization) {
        DeviceFlow flow = poller.start(authorization, transport);
        // the fake timeline runs the whole flow inside start()
        return flow.outcome().toCompletableFuture().getNow(null);
    }

    private static DeviceAuthorizationResponse authorization(long expiresIn, long interval) {
        return new DeviceAuthorizationResponse(new DeviceCode(DEVICE_CODE), "WDJB-MJHT",
                URI.create("https://github.com/login/device"), Optional.empty(),
                Duration.ofSeconds(expiresIn), Duration.ofSeconds(interval));
    }
}
