package io.infershield.proxy.security;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Real key material generated for tests, so that no test carries a key of anybody's. */
public final class TestKeys {

    private TestKeys() {
    }

    /** A fresh RSA-4096 private key as PKCS#8 PEM: about 3.2 KB, three times the default stream look-back. */
    public static String pemPrivateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(4096);
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";
    }
}
