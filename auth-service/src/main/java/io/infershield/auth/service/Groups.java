package io.infershield.auth.service;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The groups a credential carries: the Keycloak realm roles of the user who signed in, as introspection reports them to
 * the proxy, which applies its policy per group.
 */
public final class Groups {

    /** At most this many groups per credential, so that one user's roles cannot bloat every introspection answer. */
    static final int MAX_GROUPS = 32;
    static final int MAX_GROUP_LENGTH = 64;

    /** Roles Keycloak gives every user of a realm: they say nothing about who the user is. */
    private static final Set<String> BUILT_IN = Set.of("offline_access", "uma_authorization");
    private static final String DEFAULT_ROLES_PREFIX = "default-roles-";

    private Groups() {
    }

    /**
     * The groups for a user with {@code roles}: Keycloak's built-in roles and blank or over-long names dropped,
     * the rest sorted and deduplicated, and only the first {@link #MAX_GROUPS} kept, so the same roles always give the
     * same groups.
     */
    public static List<String> of(Collection<String> roles) {
        return roles.stream()
                .filter(Objects::nonNull)
                .filter(role -> !role.isBlank() && role.length() <= MAX_GROUP_LENGTH)
                .filter(role -> !BUILT_IN.contains(role) && !role.startsWith(DEFAULT_ROLES_PREFIX))
                .sorted()
                .distinct()
                .limit(MAX_GROUPS)
                .toList();
    }
}
