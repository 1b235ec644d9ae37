package io.infershield.events;

/**
 * Body of {@code proxy.tool_pinning.changed} (version 1), published by proxy-service when an administrator approves a
 * tool for a tenant, withdraws an approval, or sets the tenant's pinning mode. The envelope's subject is the
 * administrator. Exactly one of the two changes is reported: an approval ({@code entry} and {@code approved}) or a
 * mode ({@code mode} and {@code previousMode}, with {@code entry} and {@code approved} null).
 *
 * @param entry        the approved tool: a name, or {@code name@sha256:<hex>} for one exact definition
 * @param approved     {@code true} when the entry was approved, {@code false} when its approval was withdrawn
 * @param mode         {@code enforce}, {@code audit}, or {@code null} when pinning was turned off
 * @param previousMode the mode before, or {@code null} when pinning was off
 */
public record ToolPinningChanged(String entry, Boolean approved, String mode, String previousMode) {

    public static final String TYPE = "proxy.tool_pinning.changed";
    public static final int VERSION = 1;

    public static ToolPinningChanged approval(String entry, boolean approved) {
        return new ToolPinningChanged(entry, approved, null, null);
    }

    public static ToolPinningChanged mode(String mode, String previousMode) {
        return new ToolPinningChanged(null, null, mode, previousMode);
    }
}
