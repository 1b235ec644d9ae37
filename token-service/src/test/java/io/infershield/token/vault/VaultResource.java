package io.infershield.token.vault;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Switches the application to Vault Transit. With {@code VAULT_ADDR} and {@code VAULT_TOKEN} set it uses that Vault
 * (token auth, a fresh key per run); otherwise it serves Vault's documented HTTP API from WireMock and logs in with the
 * Kubernetes auth method, as on OpenShift. The stubs match only requests of the documented shape (paths, the
 * {@code X-Vault-Token} header, base64 {@code plaintext} and {@code context} in {@code batch_input} items, which is how
 * the Quarkus Vault client sends even single items); anything else stays unmatched and fails.
 */
public class VaultResource implements QuarkusTestResourceLifecycleManager {

    private static final String BASE64 = "[A-Za-z0-9+/]+={0,2}";

    private VaultContract vault;

    @Override
    public Map<String, String> start() {
        String address = System.getenv("VAULT_ADDR");
        String token = System.getenv("VAULT_TOKEN");
        if (address != null && !address.isBlank() && token != null && !token.isBlank()) {
            String key = "infershield-token-test-" + UUID.randomUUID().toString().substring(0, 8);
            vault = new VaultContract(address.replaceAll("/+$", ""), token, key, null);
            return Map.of("token.vault.kind", "transit", "token.vault.transit.key", key,
                    "quarkus.vault.url", vault.url(), "quarkus.vault.authentication.client-token", token);
        }
        String key = "infershield-token";
        WireMockServer wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new FakeTransit(key)));
        wireMock.start();
        stubContract(wireMock, key);
        vault = new VaultContract("http://127.0.0.1:" + wireMock.port(), VaultContract.LOGIN_TOKEN, key, wireMock);
        return Map.of("token.vault.kind", "transit", "token.vault.transit.key", key,
                "quarkus.vault.url", vault.url(),
                "quarkus.vault.authentication.kubernetes.role", VaultContract.ROLE,
                // the stub speaks plain HTTP; in a pod the cluster's CA verifies Vault's certificate
                "quarkus.vault.tls.use-kubernetes-ca-cert", "false",
                "quarkus.vault.authentication.kubernetes.jwt-token-path", serviceAccountToken().toString());
    }

    /** Vault's HTTP API as documented for the auth method and the Transit engine. */
    static void stubContract(WireMockServer wireMock, String key) {
        // https://developer.hashicorp.com/vault/api-docs/auth/kubernetes#login
        wireMock.stubFor(post(urlEqualTo("/v1/auth/kubernetes/login"))
                .withRequestBody(equalToJson("{\"role\":\"" + VaultContract.ROLE + "\",\"jwt\":\""
                        + VaultContract.SERVICE_ACCOUNT_JWT + "\"}"))
                .willReturn(authResponse()));
        // https://developer.hashicorp.com/vault/api-docs/auth/token#renew-a-token-self
        wireMock.stubFor(post(urlEqualTo("/v1/auth/token/renew-self"))
                .withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                .willReturn(authResponse()));
        // https://developer.hashicorp.com/vault/api-docs/secret/transit
        String keys = "/v1/transit/keys/" + key;
        wireMock.stubFor(get(urlEqualTo(keys)).withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                .willReturn(aResponse().withTransformers(FakeTransit.NAME)));
        wireMock.stubFor(post(urlEqualTo(keys)).withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                .withRequestBody(matchingJsonPath("$.derived", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.type", equalTo("aes256-gcm96")))
                .willReturn(aResponse().withTransformers(FakeTransit.NAME)));
        wireMock.stubFor(post(urlEqualTo(keys + "/rotate")).withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                .willReturn(aResponse().withTransformers(FakeTransit.NAME)));
        wireMock.stubFor(post(urlEqualTo("/v1/transit/encrypt/" + key))
                .withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                .withRequestBody(matchingJsonPath("$.batch_input[0].plaintext", matching(BASE64)))
                .withRequestBody(matchingJsonPath("$.batch_input[0].context", matching(BASE64)))
                .willReturn(aResponse().withTransformers(FakeTransit.NAME)));
        for (String operation : new String[] {"decrypt", "rewrap"}) {
            wireMock.stubFor(post(urlEqualTo("/v1/transit/" + operation + "/" + key))
                    .withHeader("X-Vault-Token", equalTo(VaultContract.LOGIN_TOKEN))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].ciphertext", matching("vault:v[0-9]+:" + BASE64)))
                    .withRequestBody(matchingJsonPath("$.batch_input[0].context", matching(BASE64)))
                    .willReturn(aResponse().withTransformers(FakeTransit.NAME)));
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder authResponse() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"request_id\":\"" + UUID.randomUUID() + "\",\"lease_id\":\"\",\"renewable\":false,"
                        + "\"lease_duration\":0,\"data\":null,\"wrap_info\":null,\"warnings\":null,"
                        + "\"auth\":{\"client_token\":\"" + VaultContract.LOGIN_TOKEN + "\",\"accessor\":\"acc\","
                        + "\"policies\":[\"default\",\"infershield-token\"],\"token_policies\":[\"default\","
                        + "\"infershield-token\"],\"metadata\":{\"role\":\"infershield-token\"},"
                        + "\"lease_duration\":2764800,\"renewable\":true,\"entity_id\":\"e\",\"token_type\":\"service\","
                        + "\"orphan\":true}}");
    }

    private static Path serviceAccountToken() {
        try {
            Path file = Files.createTempFile("k8s-sa-token", ".jwt");
            Files.writeString(file, VaultContract.SERVICE_ACCOUNT_JWT);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(vault, new TestInjector.AnnotatedAndMatchesType(InjectInfra.class, VaultContract.class));
    }

    @Override
    public void stop() {
        if (vault != null && vault.wireMock() != null) {
            vault.wireMock().stop();
        }
    }
}
