package io.infershield.token.rest;

import io.infershield.token.service.LinkRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The body of {@code PUT …/links/{provider}}: the token response auth-service received (RFC 6749 §5.1). */
public record LinkBody(
        @NotNull
        @Size(min = 8, max = 8192)
        @Pattern(regexp = TOKEN, message = "must be printable ASCII without spaces")
        String accessToken,
        @Size(min = 8, max = 8192)
        @Pattern(regexp = TOKEN, message = "must be printable ASCII without spaces")
        String refreshToken,
        @Min(1)
        @Max(315_360_000)
        Long expiresIn,
        @Size(max = 64)
        List<@NotNull @Pattern(regexp = SCOPE_TOKEN, message = "must be a scope token (RFC 6749 §3.3)") String> scopes,
        @Pattern(regexp = "[A-Za-z][A-Za-z0-9_-]{0,31}")
        String tokenType) {

    /** Printable ASCII without spaces: keeps CR/LF out of the upstream {@code Authorization} header built from it. */
    static final String TOKEN = "[\\x21-\\x7E]+";
    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    static final String SCOPE_TOKEN = "[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}";

    LinkRequest toRequest() {
        return new LinkRequest(accessToken, refreshToken, expiresIn, scopes, tokenType);
    }

    /** Keeps the tokens out of any log line that prints the request. */
    @Override
    public String toString() {
        return "LinkBody[expiresIn=" + expiresIn + ", scopes=" + scopes + ", tokenType=" + tokenType + "]";
    }
}
