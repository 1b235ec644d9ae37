package io.infershield.token.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * The behaviour behind the stubbed Transit endpoints: one derived {@code aes256-gcm96} key with versions, encrypt,
 * decrypt, rewrap and rotate answered in the shapes of Vault's HTTP API documentation. A derived key is emulated as
 * Vault does it: a key per context, so a ciphertext opens only under the context it was sealed with, and Vault answers
 * 400 otherwise. The stubs that route here check the request shapes; this class computes the answers.
 */
final class FakeTransit implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-transit";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CIPHERTEXT = Pattern.compile("vault:v([0-9]+):(.+)");

    private final SecureRandom random = new SecureRandom();
    private final List<byte[]> versions = new ArrayList<>();
    private final String key;

    FakeTransit(String key) {
        this.key = key;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        String path = event.getRequest().getUrl();
        String method = event.getRequest().getMethod().getName();
        JsonNode body = parse(event.getRequest().getBodyAsString());
        if (path.equals("/v1/transit/keys/" + key)) {
            if (method.equals("GET")) {
                return versions.isEmpty() ? error(404) : keyInfo();
            }
            if (versions.isEmpty()) {
                versions.add(newKey());
            }
            return keyInfo();
        }
        if (path.equals("/v1/transit/keys/" + key + "/rotate")) {
            versions.add(newKey());
            return keyInfo();
        }
        if (versions.isEmpty()) {
            return error(400, "encryption key not found");
        }
        // batch_input: Vault answers batch_results in order, and 400 {"errors": […]} when an item does not authenticate
        var results = JSON.createArrayNode();
        try {
            for (JsonNode item : body.path("batch_input")) {
                results.add(apply(path, item));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return error(400, "cipher: message authentication failed");
        }
        ObjectNode data = JSON.createObjectNode();
        data.set("batch_results", results);
        return data(data);
    }

    private ObjectNode apply(String path, JsonNode item) throws GeneralSecurityException {
        byte[] context = Base64.getDecoder().decode(item.path("context").asText());
        if (path.equals("/v1/transit/encrypt/" + key)) {
            return JSON.createObjectNode().put("ciphertext", seal(versions.size(), context,
                    Base64.getDecoder().decode(item.path("plaintext").asText()))).put("key_version", versions.size());
        }
        byte[] plaintext = open(item.path("ciphertext").asText(), context);
        if (path.equals("/v1/transit/decrypt/" + key)) {
            return JSON.createObjectNode().put("plaintext", Base64.getEncoder().encodeToString(plaintext));
        }
        return JSON.createObjectNode().put("ciphertext", seal(versions.size(), context, plaintext))
                .put("key_version", versions.size());
    }

    private byte[] newKey() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    private String seal(int version, byte[] context, byte[] plaintext) throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, derived(version, context), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext);
        return "vault:v" + version + ":" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    private byte[] open(String ciphertext, byte[] context) throws GeneralSecurityException {
        Matcher m = CIPHERTEXT.matcher(ciphertext);
        if (!m.matches() || Integer.parseInt(m.group(1)) > versions.size()) {
            throw new IllegalArgumentException("invalid ciphertext");
        }
        byte[] raw = Base64.getDecoder().decode(m.group(2));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, derived(Integer.parseInt(m.group(1)), context),
                new GCMParameterSpec(128, Arrays.copyOfRange(raw, 0, 12)));
        return cipher.doFinal(raw, 12, raw.length - 12);
    }

    /** Vault derives per-context keys with HKDF; an HMAC of the context under the version key is enough here. */
    private SecretKeySpec derived(int version, byte[] context) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(versions.get(version - 1), "HmacSHA256"));
        return new SecretKeySpec(mac.doFinal(context), "AES");
    }

    private ResponseDefinition keyInfo() {
        ObjectNode keys = JSON.createObjectNode();
        for (int i = 1; i <= versions.size(); i++) {
            keys.put(String.valueOf(i), 1_700_000_000L + i);
        }
        ObjectNode data = JSON.createObjectNode().put("name", key).put("type", "aes256-gcm96").put("derived", true)
                .put("kdf", "hkdf_sha256").put("latest_version", versions.size()).put("min_decryption_version", 1).put("min_available_version", 0)
                .put("min_encryption_version", 0).put("supports_encryption", true).put("supports_decryption", true)
                .put("supports_derivation", true).put("supports_signing", false).put("exportable", false)
                .put("deletion_allowed", false).put("allow_plaintext_backup", false);
        data.set("keys", keys);
        return data(data);
    }

    private static ResponseDefinition data(ObjectNode data) {
        ObjectNode envelope = JSON.createObjectNode().put("request_id", java.util.UUID.randomUUID().toString())
                .put("lease_id", "").put("renewable", false).put("lease_duration", 0);
        envelope.set("data", data);
        envelope.putNull("wrap_info");
        envelope.putNull("warnings");
        envelope.putNull("auth");
        return responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(envelope.toString()).build();
    }

    private static ResponseDefinition error(int status, String... errors) {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("errors");
        for (String e : errors) {
            array.add(e);
        }
        return responseDefinition().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.toString()).build();
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }
}
