package io.infershield.auth.link;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers polls from a script and records when each poll came. Once the script is used up it answers
 * authorization_pending, so a test that expects no further poll sees any extra one in {@link #pollCount()}.
 */
final class ScriptedTransport implements TokenEndpointTransport {

    private final Clock clock;
    private final Instant start;
    private final Deque<Supplier<CompletableFuture<TokenEndpointResponse>>> script = new ArrayDeque<>();
    private final List<Long> pollSeconds = new ArrayList<>();
    private final List<CompletableFuture<TokenEndpointResponse>> issued = new ArrayList<>();
    private final List<DeviceCode> codes = new ArrayList<>();

    ScriptedTransport(Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
    }

    ScriptedTransport then(TokenEndpointResponse response) {
        script.add(() -> CompletableFuture.completedFuture(response));
        return this;
    }

    ScriptedTransport thenConnectionFailure() {
        script.add(() -> CompletableFuture.failedFuture(new ConnectException("Connection refused")));
        return this;
    }

    /** A poll whose answer never comes, as a request still in flight. */
    ScriptedTransport thenHang() {
        script.add(CompletableFuture::new);
        return this;
    }

    @Override
    public CompletableFuture<TokenEndpointResponse> poll(DeviceCode deviceCode) {
        codes.add(deviceCode);
        pollSeconds.add(Duration.between(start, clock.instant()).toSeconds());
        CompletableFuture<TokenEndpointResponse> answer = script.isEmpty()
                ? CompletableFuture.completedFuture(pending())
                : script.poll().get();
        issued.add(answer);
        return answer;
    }

    int pollCount() {
        return pollSeconds.size();
    }

    /** When each poll came, in seconds since the transport was made. */
    List<Long> pollSeconds() {
        return pollSeconds;
    }

    List<CompletableFuture<TokenEndpointResponse>> issued() {
        return issued;
    }

    List<DeviceCode> codes() {
        return codes;
    }

    static TokenEndpointResponse json(int status, String body) {
        return new TokenEndpointResponse(status, Map.of("Content-Type", List.of("application/json")), body);
    }

    static TokenEndpointResponse json(int status, String body, String retryAfter) {
        return new TokenEndpointResponse(status,
                Map.of("Content-Type", List.of("application/json"), "retry-after", List.of(retryAfter)), body);
    }

    static TokenEndpointResponse form(int status, String body) {
        return new TokenEndpointResponse(status,
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8")), body);
    }

    static TokenEndpointResponse error(int status, String code) {
        return json(status, "{\"error\":\"" + code + "\"}");
    }

    static TokenEndpointResponse pending() {
        return error(400, "authorization_pending");
    }

    static TokenEndpointResponse serverError(int status) {
        return new TokenEndpointResponse(status, Map.of("Content-Type", List.of("text/html")), "<html>busy</html>");
    }
}
