package io.infershield.proxy.service;

import io.vertx.core.json.JsonObject;

/**
 * A request the gateway answers with an error in the provider's shape. The {@code code} is stable and documented; the
 * message is for the developer reading it in their IDE. Never carries a secret or an upstream body.
 */
public final class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final long retryAfter;
    private final boolean noRetry;

    public GatewayException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, 0, false);
    }

    private GatewayException(int status, String type, String code, String param, String message, long retryAfter,
            boolean noRetry) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
        this.noRetry = noRetry;
    }

    /** Seconds the client should wait before it tries again ({@code Retry-After}), or 0. */
    public long retryAfter() {
        return retryAfter;
    }

    /**
     * Whether the client is told not to retry on its own ({@code x-should-retry: false}): the OpenAI and Anthropic
     * SDKs obey that header before their own rules, which retry every 429.
     */
    public boolean noRetry() {
        return noRetry;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /**
     * The error body in {@code api}'s shape. OpenAI: {@code {"error": {"message", "type", "param", "code"}}}, which the
     * OpenAI SDKs turn into typed exceptions. Anthropic: {@code {"type": "error", "error": {"type", "message"}}}, whose
     * {@code error.type} follows the status as Anthropic's own errors do (the SDK picks its exception class by status;
     * Claude Code prints the message); the stable {@code code} rides along as an extra field.
     */
    public JsonObject body(Api api) {
        if (api == Api.ANTHROPIC) {
            return new JsonObject().put("type", "error").put("error", new JsonObject()
                    .put("type", anthropicType()).put("message", getMessage()).put("code", code));
        }
        return new JsonObject().put("error", new JsonObject().put("message", getMessage()).put("type", type)
                .put("param", param).put("code", code));
    }

    /** Anthropic's error type for this status (docs.anthropic.com, "Errors"). */
    private String anthropicType() {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            default -> status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    /**
     * The developer's request rate is over the limit. OpenAI's shape for it ({@code type} {@code requests}, code
     * {@code rate_limit_exceeded}); Anthropic's {@code rate_limit_error} follows from the status. Both SDKs wait for
     * {@code Retry-After} and try again.
     */
    public static GatewayException rateLimited(long retryAfterSeconds) {
        return new GatewayException(429, "requests", "rate_limit_exceeded", null,
                "You are sending requests faster than your organisation allows. Try again in " + retryAfterSeconds
                        + " s.", retryAfterSeconds, false);
    }

    /**
     * The developer has used up today's token budget. OpenAI's shape for an exhausted quota ({@code type} and
     * {@code code} {@code insufficient_quota}); Anthropic's {@code rate_limit_error} follows from the status.
     * {@code Retry-After} is the next UTC midnight, when the budget starts over. Why {@code noRetry}: the SDKs retry a
     * 429 on their own after {@code Retry-After} however long it is (the Node SDKs sleep for it, openai 6.x and
     * {@code @anthropic-ai/sdk} alike), which would hang the IDE for hours; told not to, they raise the error at once.
     */
    public static GatewayException budgetExhausted(long retryAfterSeconds) {
        return new GatewayException(429, "insufficient_quota", "insufficient_quota", null,
                "You have used up your daily token budget. It starts over at 00:00 UTC; ask your platform team if you "
                        + "need more.", retryAfterSeconds, true);
    }

    public static GatewayException missingCredential() {
        return new GatewayException(401, "invalid_request_error", "invalid_api_key", null,
                "You didn't provide an InferShield credential. Sign in with `infershield login` and send it as "
                        + "'Authorization: Bearer isk_...' (Anthropic clients: 'x-api-key: isk_...').");
    }

    public static GatewayException invalidCredential() {
        return new GatewayException(401, "invalid_request_error", "invalid_api_key", null,
                "The InferShield credential is unknown, expired or revoked. Sign in again with `infershield login`.");
    }

    public static GatewayException invalidJson() {
        return new GatewayException(400, "invalid_request_error", "invalid_json", null,
                "The request body is not valid JSON.");
    }

    public static GatewayException invalidField(String param, String message) {
        return new GatewayException(400, "invalid_request_error", "invalid_request", param, message);
    }

    public static GatewayException unsupportedMediaType() {
        return new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                "The request body must be sent as 'Content-Type: application/json'.");
    }

    public static GatewayException tooLarge(int limit) {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than the gateway's limit of " + limit + " bytes.");
    }

    public static GatewayException notFound(String method, String path) {
        return new GatewayException(404, "invalid_request_error", "unknown_url", null,
                "Unknown request URL: " + method + " " + path + ".");
    }

    public static GatewayException methodNotAllowed(String method, String path) {
        return new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + method + " is not allowed on " + path + ".");
    }

    public static GatewayException noUpstreamCredential(String provider) {
        return new GatewayException(503, "api_error", "upstream_not_configured", null,
                "No credential for provider '" + provider + "': link your own account with `infershield connect "
                        + provider + "`, or ask your platform team for an organisation key.");
    }

    public static GatewayException linkBroken(String provider) {
        return new GatewayException(401, "invalid_request_error", "upstream_link_broken", null,
                "Your linked '" + provider + "' account needs to be linked again: run `infershield connect " + provider
                        + "`.");
    }

    public static GatewayException authUnavailable() {
        return new GatewayException(503, "api_error", "auth_unavailable", null,
                "The gateway cannot verify credentials right now. Try again shortly.");
    }

    public static GatewayException tokenUnavailable() {
        return new GatewayException(503, "api_error", "token_service_unavailable", null,
                "The gateway cannot reach its credential store right now. Try again shortly.");
    }

    public static GatewayException upstreamUnavailable() {
        return new GatewayException(502, "api_error", "upstream_unavailable", null,
                "The upstream provider could not be reached.");
    }

    public static GatewayException upstreamRejectedUserToken(String provider) {
        return new GatewayException(401, "invalid_request_error", "upstream_link_rejected", null,
                "'" + provider + "' rejected your linked account even after a refresh. Check your subscription, or run "
                        + "`infershield connect " + provider + "` again.");
    }

    public static GatewayException upstreamRejectedOrgKey() {
        return new GatewayException(502, "api_error", "upstream_auth_failed", null,
                "The upstream provider rejected the organisation's credential. Ask your platform team.");
    }

    /**
     * The security policy refused the request or the answer. The message names the category and the rule type, never
     * the matched text: it is shown in the IDE and may end up in its logs.
     */
    public static GatewayException blocked(String category, String type, boolean response) {
        return new GatewayException(400, "invalid_request_error", "blocked_by_policy", null,
                (response ? "The model's answer" : "This request") + " was blocked by your organisation's security policy: "
                        + category + " (" + type + ") was detected"
                        + (response ? "." : ". Remove it and try again, or ask your security team."));
    }

    /**
     * The security policy refused a request for what the definition of a tool it offers the model holds (an MCP
     * server's, usually): the message names the tool, so the developer knows which server to remove.
     */
    public static GatewayException blockedTool(String category, String type, String tool) {
        return new GatewayException(400, "invalid_request_error", "blocked_by_policy", null,
                "This request was blocked by your organisation's security policy: " + category + " (" + type
                        + ") was detected in the definition of the tool " + (tool == null ? "it offers the model" : "'" + tool + "'")
                        + ". Disable the MCP server or extension that provides it, or ask your security team.");
    }

    /**
     * The request offers the model a tool the tenant has not approved ({@link ToolAllowList}). The message names the
     * tool and the digest of its definition, which is what the security team approves.
     */
    public static GatewayException toolNotApproved(String tool, String digest) {
        return new GatewayException(403, "invalid_request_error", "tool_not_approved", "tools",
                "This request offers the model " + (tool == null ? "a tool without a valid name" : "the tool '" + tool + "'")
                        + " (" + digest + "), which your organisation has not approved. Disable the MCP server or "
                        + "extension that provides it, or ask your security team to approve it.");
    }

    public static GatewayException noUpstreamFor(Api api) {
        return new GatewayException(404, "invalid_request_error", "upstream_not_configured", null,
                "This gateway has no " + (api == Api.ANTHROPIC ? "Anthropic" : "OpenAI") + "-compatible upstream.");
    }

    public static GatewayException policyUnavailable() {
        return new GatewayException(503, "api_error", "policy_unavailable", null,
                "The gateway cannot load its security policy right now. Try again shortly.");
    }
}
