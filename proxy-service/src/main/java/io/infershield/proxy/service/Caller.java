package io.infershield.proxy.service;

/** The authenticated developer behind a request: the subject and tenant of their gateway credential. */
public record Caller(String subject, String tenant) {
}
