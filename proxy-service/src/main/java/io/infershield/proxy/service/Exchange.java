package io.infershield.proxy.service;

import io.infershield.events.SecurityFinding;
import io.infershield.events.TokenUsage;
import io.infershield.proxy.security.PolicyAction;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the gateway learns about one request while handling it: the raw material of its audit event. */
public final class Exchange {

    public static final String KEY = Exchange.class.getName();

    /** At most this many findings go into one event, so a paste full of addresses cannot blow up the audit trail. */
    public static final int MAX_FINDINGS = 100;

    private final String requestId = UUID.randomUUID().toString();
    private final long startNanos = System.nanoTime();
    private final String endpoint;
    private final Api api;
    private Caller caller;
    private String model;
    private boolean stream;
    private String upstream;
    private String credential;
    private String errorCode;
    private PolicyAction decision;
    private boolean usageHidden;
    private UsageMeter meter;
    private final List<SecurityFinding> findings = new ArrayList<>();

    public Exchange(String endpoint, Api api) {
        this.endpoint = endpoint;
        this.api = api;
    }

    /** The API the client speaks, and so the shape of the errors it is answered with. */
    public Api api() {
        return api;
    }

    public String requestId() {
        return requestId;
    }

    public String endpoint() {
        return endpoint;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public Caller caller() {
        return caller;
    }

    public void caller(Caller caller) {
        this.caller = caller;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    public void request(String model, boolean stream) {
        this.model = model;
        this.stream = stream;
    }

    /**
     * Whether the gateway asked the upstream for the usage of a stream whose client did not ask for it: then the usage
     * chunk is not relayed (see {@link UsageMeter}).
     */
    public boolean usageHidden() {
        return usageHidden;
    }

    public void hideUsage() {
        this.usageHidden = true;
    }

    /** The meter of the upstream's successful answer, once it is relayed. */
    public void metered(UsageMeter meter) {
        this.meter = meter;
    }

    /**
     * The tokens the upstream's answer cost, or null when no successful answer of an endpoint that costs tokens came
     * (nothing was forwarded, the upstream failed, or it was {@code /v1/models} or {@code count_tokens}).
     */
    public TokenUsage usage() {
        return meter == null ? null : meter.usage();
    }

    public String upstream() {
        return upstream;
    }

    public String credential() {
        return credential;
    }

    public void forwardedTo(String upstream, String credential) {
        this.upstream = upstream;
        this.credential = credential;
    }

    public String errorCode() {
        return errorCode;
    }

    public void errorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    /**
     * What the security layer decided on the request or the response: {@code allow}, {@code redact} or {@code block}
     * (an alert lets the traffic through, so it reads as allow), or {@code null} when nothing was scanned.
     */
    public String decision() {
        if (decision == null) {
            return null;
        }
        return decision == PolicyAction.ALERT ? PolicyAction.ALLOW.wire() : decision.wire();
    }

    /** The findings for the audit event, at most {@link #MAX_FINDINGS} of them. */
    public List<SecurityFinding> findings() {
        return List.copyOf(findings);
    }

    /** Records one scan: the most severe action so far wins, and the findings are appended. */
    public void scanned(PolicyAction action, List<SecurityFinding> found) {
        decision = decision == null ? action : decision.max(action);
        for (SecurityFinding f : found) {
            if (findings.size() >= MAX_FINDINGS) {
                break;
            }
            findings.add(f);
        }
    }
}
