package io.infershield.auth.link;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How a device flow with an upstream provider ended. A flow ends exactly once and is never restarted (checklist B4). */
public sealed interface LinkOutcome {

    /** The error code of a {@link Failed} outcome when the provider's answer was unusable. */
    String INVALID_RESPONSE = "invalid_response";

    /**
     * The developer approved: the token response's scalar fields (RFC 6749 §5.1), by name. {@link #toString()} lists
     * the names only, since the values are credentials.
     */
    record Success(Map<String, String> fields) implements LinkOutcome {

        public Success {
            fields = Collections.unmodifiableMap(new TreeMap<>(fields));
        }

        public String accessToken() {
            return fields.get("access_token");
        }

        public Optional<String> tokenType() {
            return Optional.ofNullable(fields.get("token_type"));
        }

        /** The granted scopes: RFC 6749 §3.3 separates them with spaces, GitHub with commas (checklist B7). */
        public Set<String> scopes() {
            String scope = fields.getOrDefault("scope", "");
            return Arrays.stream(scope.split("[ ,]+")).filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        }

        @Override
        public String toString() {
            return "Success[fields=" + fields.keySet() + "]";
        }
    }

    /** The developer refused ({@code access_denied}). */
    record Denied() implements LinkOutcome {
    }

    /** The device code expired: the provider said so, or the next poll would have come after {@code expires_in}. */
    record Expired() implements LinkOutcome {
    }

    /** The provider answered another error, or an unusable response ({@link #INVALID_RESPONSE}). */
    record Failed(String error) implements LinkOutcome {
    }

    /** The flow was cancelled before it ended. */
    record Cancelled() implements LinkOutcome {
    }
}
