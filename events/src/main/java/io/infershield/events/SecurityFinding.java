package io.infershield.events;

/**
 * One detector finding as it goes into an audit event: what was found and where, never the text itself.
 *
 * @param category  {@code prompt_injection}, {@code secret}, {@code pii} or {@code exfiltration}
 * @param type      the rule or PII type, for example {@code github_pat}, {@code email}, {@code instruction_override}
 * @param direction {@code request} (the prompt) or {@code response} (the completion)
 * @param start     start offset (UTF-16 index) in the scanned text of that direction
 * @param end       end offset, exclusive
 * @param score     0 to 100
 * @param action    what policy did about it: {@code allow}, {@code alert}, {@code redact} or {@code block}
 * @param hash      a keyed hash (HMAC-SHA256 under the gateway's audit key, 16 hex digits) of the matched text, so the same
 *                  secret can be followed across events without being recoverable from them; {@code null} for injection
 * @param excerpt   a redacted excerpt, for example {@code ghp_…[REDACTED:github_pat]}; never the secret itself
 * @param location  where the text was, as a JSON Pointer (RFC 6901) into the request or the answer as the provider's
 *                  API shapes it, for example {@code /messages/3/content/0/content} (what a tool returned to Claude) or
 *                  {@code /choices/0/message/tool_calls/1/function/arguments}; for a streamed answer, the place of
 *                  the text in the whole answer; {@code null} when not known
 */
public record SecurityFinding(String category, String type, String direction, int start, int end, int score,
        String action, String hash, String excerpt, String location) {
}
