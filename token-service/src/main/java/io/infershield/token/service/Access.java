package io.infershield.token.service;

import io.infershield.events.TokenEvent;

/**
 * Who accesses which token and why: the fields every token-event carries.
 *
 * @param subject    the user the access is for; {@code null} only for an administrator's work on an org key
 * @param credential {@link TokenEvent#USER_TOKEN} or {@link TokenEvent#ORG_KEY}
 * @param actor      the caller's {@code preferred_username}, or {@code refresh-scheduler} / {@code key-rotation}
 */
public record Access(String tenant, String subject, String provider, String credential, String actor, String purpose) {

    public Access withCredential(String credential) {
        return new Access(tenant, subject, provider, credential, actor, purpose);
    }

    public TokenEvents.Entry success(String type, String keyVersion) {
        return event(type, TokenEvent.OUTCOME_SUCCESS, keyVersion, null);
    }

    public TokenEvents.Entry event(String type, String outcome, String keyVersion, String reason) {
        return new TokenEvents.Entry(type, tenant, subject,
                new TokenEvent(actor, provider, credential, purpose, outcome, keyVersion, reason));
    }
}
