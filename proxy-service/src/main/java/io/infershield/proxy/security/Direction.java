package io.infershield.proxy.security;

/** Which way the scanned text travels: from the IDE to the model, or back. */
public enum Direction {
    REQUEST,
    RESPONSE
}
