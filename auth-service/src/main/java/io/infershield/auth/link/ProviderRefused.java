package io.infershield.auth.link;

/**
 * The provider did not start a device flow. {@link #error()} is the provider's own error code (for example GitHub's
 * {@code device_flow_disabled}), {@link LinkOutcome#INVALID_RESPONSE} for an unusable answer, or {@link #UNREACHABLE}
 * when the provider could not be reached or answered 5xx. The message names no value from the answer.
 */
public class ProviderRefused extends RuntimeException {

    /** The provider could not be reached, timed out, or answered with a server error. */
    public static final String UNREACHABLE = "provider_unreachable";

    private final String error;

    public ProviderRefused(String error) {
        super("the provider refused to start a device flow: " + error, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
