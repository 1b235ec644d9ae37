package io.infershield.proxy.service;

import java.util.UUID;

/** What the gateway learns about one request while handling it: the raw material of its audit event. */
public final class Exchange {

    public static final String KEY = Exchange.class.getName();

    private final String requestId = UUID.randomUUID().toString();
    private final long startNanos = System.nanoTime();
    private final String endpoint;
    private Caller caller;
    private String model;
    private boolean stream;
    private String upstream;
    private String credential;
    private String errorCode;

    public Exchange(String endpoint) {
        this.endpoint = endpoint;
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
}
