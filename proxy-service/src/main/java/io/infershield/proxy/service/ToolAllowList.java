package io.infershield.proxy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.infershield.events.SecurityFinding;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.security.Category;
import io.infershield.proxy.security.PolicyAction;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The tools a tenant lets its developers offer the model ("tool pinning"), from {@code proxy.security.tool-pinning}
 * and from the admin API ({@code /admin/v1/tenants/{tenant}/tools}). An entry approves a tool by name, any definition
 * of it ({@code Read}, an IDE's built-in), or one exact definition ({@code add@sha256:<hex>}, see {@link #digest}): a
 * poisoned MCP server, or one whose definition changed after it was approved (a "rug pull"), is refused whatever its
 * wording, which no scanner can promise. A tenant without a list offers any tool, judged by the tool-poisoning
 * detector alone.
 *
 * <p>Configuration is the floor: a tenant's approved entries are its configured ones plus those stored through the
 * API, and a mode stored through the API replaces the configured one. A tenant has a list when either sets its mode
 * (approvals stored without a mode are prepared, not in force). {@link PolicyStore} loads the stored part with the
 * policies, so a change made on another replica is in force here within {@code proxy.security.policy-refresh}.
 */
@ApplicationScoped
public class ToolAllowList {

    /** A tool name as both APIs define it: the only part of a definition an error message may repeat. */
    public static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_.-]{1,64}(@sha256:[0-9a-f]{64})?");
    /** Object members in key order, so that the same definition has one digest however a client orders it. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /** The lists in force: the entries of each tenant that has a list, and the tenants that enforce theirs. */
    private record Lists(Map<String, Set<String>> approved, Set<String> enforced) {
    }

    private final Map<String, Set<String>> configured = new HashMap<>();
    private final Map<String, String> configuredModes = new HashMap<>();
    private volatile Lists lists;

    ToolAllowList(ProxyConfig config) {
        config.security().toolPinning().forEach((tenant, pinning) -> {
            List<String> entries = pinning.allow().orElse(List.of());
            for (String entry : entries) {
                if (!isEntry(entry)) {
                    throw new IllegalStateException("proxy.security.tool-pinning." + tenant + ".allow: '" + entry
                            + "' is neither a tool name nor name@sha256:<64 lower-case hex digits>");
                }
            }
            configured.put(tenant, Set.copyOf(entries));
            configuredModes.put(tenant, pinning.mode().name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    /** Whether {@code entry} is a tool name or {@code name@sha256:<64 lower-case hex digits>}. */
    public static boolean isEntry(String entry) {
        return ENTRY.matcher(entry).matches();
    }

    /** The entries configured for {@code tenant}, which the admin API cannot withdraw. */
    public Set<String> configured(String tenant) {
        return configured.getOrDefault(tenant, Set.of());
    }

    /** The mode configured for {@code tenant} ({@code enforce} or {@code audit}), or null. */
    public String configuredMode(String tenant) {
        return configuredModes.get(tenant);
    }

    /**
     * The lists in force; until the stored part was first loaded, a 503 as for policies: a tenant may have set
     * {@code enforce} through the API, so the configured part alone could let a refused tool through.
     */
    private Lists lists() {
        Lists l = lists;
        if (l == null) {
            throw GatewayException.policyUnavailable();
        }
        return l;
    }

    /** Puts the modes and approvals stored through the admin API in force, over the configured ones. */
    public void load(Map<String, String> storedModes, Map<String, Set<String>> storedApprovals) {
        Map<String, String> modes = new HashMap<>(configuredModes);
        modes.putAll(storedModes);
        Map<String, Set<String>> approved = new HashMap<>();
        Set<String> enforced = new HashSet<>();
        modes.forEach((tenant, mode) -> {
            Set<String> entries = new HashSet<>(configured(tenant));
            entries.addAll(storedApprovals.getOrDefault(tenant, Set.of()));
            approved.put(tenant, Set.copyOf(entries));
            if ("enforce".equals(mode)) {
                enforced.add(tenant);
            }
        });
        lists = new Lists(Map.copyOf(approved), Set.copyOf(enforced));
    }

    /** A tool the tenant has not approved: where it was in the request, its name (null when invalid) and digest. */
    public record Refused(String location, String name, String digest) {

        /** The audit finding, with what the security team approves, {@code name@digest}, as its excerpt. */
        public SecurityFinding finding(PolicyAction action) {
            return new SecurityFinding(Category.PROMPT_INJECTION.wire(), TYPE, "request", 0, 0, 100, action.wire(), null,
                    (name == null ? "" : name) + "@" + digest, location);
        }

        public GatewayException exception() {
            return GatewayException.toolNotApproved(name, digest);
        }
    }

    /** The finding type of a refused tool. */
    public static final String TYPE = "tool_not_approved";

    /** The tools of {@code request} that {@code tenant}'s list does not approve; none for a tenant without a list. */
    public List<Refused> refused(String tenant, JsonNode request) {
        Set<String> entries = lists().approved().get(tenant);
        if (entries == null) {
            return List.of();
        }
        List<Refused> refused = new ArrayList<>();
        each(request, (location, tool) -> {
            if (!approves(entries, tool)) {
                refused.add(new Refused(location, name(tool), digest(tool)));
            }
        });
        return refused;
    }

    /** Whether {@code tenant}'s list approves {@code tool}; null for a tenant without a list. */
    public Boolean approves(String tenant, JsonNode tool) {
        Set<String> entries = lists().approved().get(tenant);
        return entries == null ? null : approves(entries, tool);
    }

    /** By name, else by exact definition: a tool approved by name is not hashed. */
    private static boolean approves(Set<String> entries, JsonNode tool) {
        String name = name(tool);
        return name != null && (entries.contains(name) || entries.contains(name + "@" + digest(tool)));
    }

    /** Whether {@code tenant} refuses requests that offer unapproved tools, rather than only recording them. */
    public boolean enforces(String tenant) {
        return lists().enforced().contains(tenant);
    }

    /**
     * Visits each tool a request offers the model with its JSON Pointer: {@code tools[i]} (chat completions, Responses,
     * Messages) and chat's deprecated {@code functions[i]}.
     */
    public static void each(JsonNode request, BiConsumer<String, JsonNode> visit) {
        for (String field : List.of("tools", "functions")) {
            JsonNode tools = request.path(field);
            for (int i = 0; i < tools.size(); i++) {
                visit.accept("/" + field + "/" + i, tools.get(i));
            }
        }
    }

    /** The tool's name ({@code name}, or chat's {@code function.name}) when it is a valid one, else null. */
    public static String name(JsonNode tool) {
        String name = tool.path("name").asText(tool.path("function").path("name").asText());
        return TOOL_NAME.matcher(name).matches() ? name : null;
    }

    /**
     * {@code sha256:} and the hex SHA-256 of the definition as canonical JSON: UTF-8, no blanks between tokens, object
     * members sorted by key at every level. Any change to a description, a parameter or a default changes it.
     */
    public static String digest(JsonNode tool) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tool, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a parsed JSON tree", e);
        }
    }
}
