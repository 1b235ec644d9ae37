package io.infershield.proxy.service;

/** The audit event of a policy change could not be delivered, so the change was rolled back. */
public final class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException() {
        super("the audit event could not be delivered", null, false, false);
    }
}
