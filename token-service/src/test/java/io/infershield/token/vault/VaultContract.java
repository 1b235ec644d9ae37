package io.infershield.token.vault;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The Vault a transit test talks to: WireMock serving Transit's documented HTTP contract ({@link #stubbed()}), or a real
 * Vault at {@code VAULT_ADDR}. Tests that need a fault only WireMock can inject assume {@link #stubbed()}.
 *
 * @param token the token a test uses for its own calls (rotating the key): the Kubernetes login's, or VAULT_TOKEN
 */
public record VaultContract(String url, String token, String key, WireMockServer wireMock) {

    /** The Kubernetes service-account JWT the stub accepts at {@code auth/kubernetes/login}. */
    static final String SERVICE_ACCOUNT_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6aW5mZXJzaGllbGQ6dG9rZW4tc2VydmljZSJ9.c2ln";
    /** The client token the stubbed login hands out, which every later request must carry. */
    static final String LOGIN_TOKEN = "hvs.CAESIK8s-login-token-of-token-service";
    static final String ROLE = "infershield-token";

    public boolean stubbed() {
        return wireMock != null;
    }

    /** {@code POST /v1/transit/keys/<key>/rotate}, as an operator (or the platform's rotation policy) would. */
    public void rotateKey() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/v1/transit/keys/" + key + "/rotate"))
                .header("X-Vault-Token", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("rotate answered " + response.statusCode() + ": " + response.body());
        }
    }
}
