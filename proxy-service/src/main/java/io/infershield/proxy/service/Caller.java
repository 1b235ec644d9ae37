package io.infershield.proxy.service;

import java.util.List;

/**
 * The authenticated developer behind a request: the subject and tenant of their gateway credential, and the groups
 * auth-service reports for them (in order; the first group with a policy rule decides, see {@code PolicyStore}).
 */
public record Caller(String subject, String tenant, List<String> groups) {

    public Caller {
        groups = groups == null ? List.of() : groups.stream().filter(java.util.Objects::nonNull).toList();
    }
}
