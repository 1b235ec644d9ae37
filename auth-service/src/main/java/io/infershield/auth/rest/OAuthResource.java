package io.infershield.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.service.ClientRegistry;
import io.infershield.auth.service.CredentialService;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.OAuthError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The OAuth endpoints for devices and for the proxy: device authorization (RFC 8628 §3.1), token (§3.4),
 * introspection (RFC 7662) and revocation (RFC 7009). All take form-encoded bodies; a filter turns any other
 * content type into invalid_request before these methods are matched.
 */
@Path("/oauth")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    private final AuthConfig config;
    private final DeviceFlowService deviceFlow;
    private final CredentialService credentials;

    OAuthResource(AuthConfig config, DeviceFlowService deviceFlow, CredentialService credentials) {
        this.config = config;
        this.deviceFlow = deviceFlow;
        this.credentials = credentials;
    }

    /** RFC 8628 §3.2 device authorization response. */
    public record DeviceAuthorizationResponse(
            @JsonProperty("device_code") String deviceCode,
            @JsonProperty("user_code") String userCode,
            @JsonProperty("verification_uri") String verificationUri,
            @JsonProperty("verification_uri_complete") String verificationUriComplete,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("interval") long interval) {
    }

    /** RFC 6749 §5.1 access token response. */
    public record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("scope") String scope,
            @JsonProperty("refresh_token") String refreshToken) {

        static TokenResponse of(CredentialService.IssuedCredential issued) {
            return new TokenResponse(issued.accessToken(), "Bearer", issued.expiresIn(), issued.scope(),
                    issued.refreshToken());
        }
    }

    /**
     * RFC 7662 §2.2 introspection response; only {@code active} is present for an inactive credential. {@code groups}
     * is an extension (§2.2 allows them) naming the groups the proxy applies its policy for; empty when there are none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IntrospectionResponse(
            @JsonProperty("active") boolean active,
            @JsonProperty("sub") String subject,
            @JsonProperty("tenant") String tenant,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("scope") String scope,
            @JsonProperty("exp") Long expiresAt,
            @JsonProperty("iat") Long issuedAt,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("groups") List<String> groups) {

        static final IntrospectionResponse INACTIVE = new IntrospectionResponse(false, null, null, null, null, null, null,
                null, null);
    }

    @POST
    @Path("/device_authorization")
    public Uni<DeviceAuthorizationResponse> deviceAuthorization(@RestForm("client_id") List<String> clientId,
                                                                @RestForm("scope") List<String> scope,
                                                                @RestHeader(HttpHeaders.USER_AGENT) String userAgent,
                                                                HttpServerRequest request) {
        String client = FormParams.required("client_id", clientId);
        String requestedScope = FormParams.optional("scope", scope);
        SocketAddress remote = request.remoteAddress();
        String requesterIp = remote == null ? null : remote.hostAddress();
        String verificationUri = config.publicUrl() + "/device";
        return deviceFlow.authorize(client, requestedScope, requesterIp, userAgent)
                .map(grant -> new DeviceAuthorizationResponse(grant.deviceCode(), grant.userCode(), verificationUri,
                        // user codes hold only [A-Z-], so they need no URL encoding
                        verificationUri + "?user_code=" + grant.userCode(), grant.expiresIn(), grant.interval()));
    }

    @POST
    @Path("/token")
    public Uni<TokenResponse> token(@RestForm("grant_type") List<String> grantType,
                                    @RestForm("device_code") List<String> deviceCode,
                                    @RestForm("refresh_token") List<String> refreshToken,
                                    @RestForm("client_id") List<String> clientId) {
        String grant = FormParams.required("grant_type", grantType);
        if (ClientRegistry.DEVICE_CODE_GRANT.equals(grant)) {
            String client = FormParams.required("client_id", clientId);
            return deviceFlow.poll(client, FormParams.required("device_code", deviceCode)).map(TokenResponse::of);
        }
        if (ClientRegistry.REFRESH_TOKEN_GRANT.equals(grant)) {
            String client = FormParams.required("client_id", clientId);
            return credentials.refresh(client, FormParams.required("refresh_token", refreshToken)).map(TokenResponse::of);
        }
        throw OAuthError.unsupportedGrantType();
    }

    @POST
    @Path("/introspect")
    public Uni<IntrospectionResponse> introspect(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                                                 @RestForm("token") List<String> token) {
        BasicCredentials caller = BasicCredentials.parse(authorization);
        credentials.authenticateIntrospectionCaller(caller.clientId(), caller.secret());
        return credentials.introspect(FormParams.required("token", token))
                .map(active -> active == null ? IntrospectionResponse.INACTIVE : new IntrospectionResponse(true,
                        active.subject(), active.tenant(), active.clientId(), active.scope(), active.expiresAt(),
                        active.issuedAt(), "Bearer", active.groups()));
    }

    @POST
    @Path("/revoke")
    public Uni<RestResponse<Void>> revoke(@RestForm("token") List<String> token,
                                          @RestForm("client_id") List<String> clientId) {
        String client = FormParams.required("client_id", clientId);
        return credentials.revoke(client, FormParams.required("token", token)).map(done -> RestResponse.ok());
    }

    /** HTTP Basic client credentials (RFC 6749 §2.3.1). */
    record BasicCredentials(String clientId, String secret) {

        static BasicCredentials parse(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthError.invalidClientBasic();
            }
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw OAuthError.invalidClientBasic();
                }
                return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClientBasic();
            }
        }
    }
}
