package io.infershield.proxy.security;

/** What a finding is about; {@link #wire()} is the name used in the scan contract and in audit events. */
public enum Category {
    PROMPT_INJECTION("prompt_injection"),
    SECRET("secret"),
    PII("pii"),
    EXFILTRATION("exfiltration");

    private final String wire;

    Category(String wire) {
        this.wire = wire;
    }

    /** The lower-case name of the scan contract (shared/eval/README.md). */
    public String wire() {
        return wire;
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} for an unknown one. */
    public static Category fromWire(String name) {
        for (Category c : values()) {
            if (c.wire.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category: " + name);
    }
}
