package io.infershield.proxy.security;

import java.util.List;

/**
 * The outcome of applying a {@link Policy} to findings.
 *
 * @param action    the most severe action any finding triggered
 * @param score     the highest finding score (0 when nothing was found)
 * @param triggered findings at or above their category threshold whose action is not ALLOW
 * @param redact    the subset to replace with placeholders when forwarding
 */
public record Decision(PolicyAction action, int score, List<Finding> triggered, List<Finding> redact) {

    /** The scan contract's decision: an alert lets the traffic through, so it reads as allow. */
    public String contractDecision() {
        return action == PolicyAction.ALERT ? "allow" : action.wire();
    }
}
