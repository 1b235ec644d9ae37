package io.infershield.auth.entity;

import java.util.Locale;

/** Where a link session stands. Only {@link #PENDING} ever changes; every other state is final. */
public enum LinkState {
    PENDING, LINKED, DENIED, EXPIRED, FAILED, CANCELLED;

    /** The lower-case name the link API and the CLI use. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
