package io.infershield.events;

import java.util.List;

/** Topic names: one topic per producing service, and the channel name equals the topic name. */
public final class Topics {
    public static final String AUTH_EVENTS = "auth-events";
    public static final String TOKEN_EVENTS = "token-events";
    public static final String PROXY_EVENTS = "proxy-events";

    /** Every topic the audit store and the SIEM consume. */
    public static final List<String> ALL = List.of(AUTH_EVENTS, TOKEN_EVENTS, PROXY_EVENTS);

    private Topics() {
    }
}
