package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretDetectorTest {

    private final SecretDetector detector = new SecretDetector();

    private List<Finding> scan(String text) {
        return detector.scan(text, Direction.REQUEST);
    }

    private static void assertSingle(List<Finding> found, String type, int start, int end) {
        assertEquals(1, found.size(), () -> "findings: " + found);
        Finding f = found.get(0);
        assertEquals(Category.SECRET, f.category());
        assertEquals(type, f.type());
        assertEquals(start, f.start());
        assertEquals(end, f.end());
    }

    @Test
    void githubTokenIsFoundWithExactOffsets() {
        String token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        String text = "export GH=" + token + " # mine";
        assertSingle(scan(text), "github-pat", 10, 10 + token.length());
    }

    @Test
    void ourOwnPersonalKeysAreSecrets() {
        String key = "isk_" + "Q2x9vB7nM4kP1sT8wZ3yR6uE5";
        List<Finding> found = scan("curl -H 'Authorization: Bearer " + key + "' http://gw");
        assertEquals("infershield-key", found.get(0).type());
        assertEquals(key, ("curl -H 'Authorization: Bearer " + key).substring(found.get(0).start(), found.get(0).end()));
    }

    @Test
    void awsAccessKeyIdIsFoundButTheDocumentedExampleIsNot() {
        assertSingle(scan("aws_access_key_id = AKIALALEMEL33243OLIB"), "aws-access-token", 20, 40);
        assertTrue(scan("aws_access_key_id = AKIAIOSFODNN7EXAMPLE").isEmpty());
    }

    @Test
    void placeholdersAreNotSecrets() {
        assertTrue(scan("token = ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").isEmpty());
        assertTrue(scan("password = \"${DB_PASSWORD}\"").isEmpty());
        assertTrue(scan("API_KEY=<your api key here>").isEmpty());
        assertTrue(scan("secret_length = X25519.secret_length").isEmpty());
    }

    @Test
    void credentialNamedAssignmentOfRandomValueIsAGenericSecret() {
        String text = "db_password: \"Zq8#kLm2Pw9xTb\"";
        assertSingle(scan(text), "generic-credential", 14, 28);
    }

    @Test
    void lowEntropyOrWordValuesAreNotGenericSecrets() {
        assertTrue(scan("password = notapassword").isEmpty());
        assertTrue(scan("sequenceKey = \"18\"").isEmpty());
        assertTrue(scan("bucket_key = \"SalesResults-1.2\"").isEmpty());
    }

    @Test
    void privateKeyBlockIsOneFinding() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAn6/O8li+SX4m98LLYt/PKSzEmQ++ZBD7Loh9P13f4yQ92EF3\n"
                + "-----END RSA PRIVATE KEY-----";
        assertSingle(scan("key:\n" + pem), "private-key", 5, 5 + pem.length());
    }

    @Test
    void jwtMustDecodeToJsonHeaderAndPayload() {
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assertSingle(scan(jwt), "jwt", 0, jwt.length());
        assertTrue(scan("eyJhbasdGciOiJIUaddasdasfsasdasdzI1NiIasdsInR5cCI6IkpXVCasdJasd9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc").isEmpty());
    }

    @Test
    void credentialsInUrlsAndCurlAreFoundButVariablesAreNot() {
        assertSingle(scan("https://deploy:s3cr3tPass@git.example.org/repo"), "basic-auth-url", 15, 25);
        assertEquals("curl-auth-user", scan("curl -u elastic:P@ssw0rd$1 https://localhost:9200").get(0).type());
        assertTrue(scan("curl -u \"${USER}:${PASS}\" https://localhost:9200").isEmpty());
    }

    @Test
    void explanationNamesTheRuleNotTheSecret() {
        String token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        Finding f = scan(token).get(0);
        assertEquals("rule:github-pat", f.explanation());
    }

    @Test
    void tokenRuleFindsItsTokenAmongDottedWordsWithExactOffsets() {
        // the discord rule's keyword is ".": it must run on the token around the hit, not on its neighbours
        String token = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";
        String text = "java.lang.Thread.run() uses bot " + token + ". See docs.discord.com.";
        assertSingle(scan(text), "discord-bot-token", 32, 32 + token.length());
        assertTrue(scan("java.lang.NullPointerException at com.acme.Order.total(Order.java:42)").isEmpty());
    }

    @Test
    void basicAuthUrlNeedsAnAtSignInTheSameToken() {
        String text = "url: https://deploy:Xk9v2LmQp7@git.example.org/repo.git";
        assertSingle(scan(text), "basic-auth-url", 20, 30);
        assertTrue(scan("jdbc:postgresql://127.0.0.1:5432/app and mail me @ home").isEmpty());
    }

    @Test
    void aBareKeyNameIsNotACredentialButACompoundOneIs() {
        assertTrue(scan("key = adf4b1dbRdW3rOcB7xLthrM4BTBGK1qPLkHigpN1bXD6z").isEmpty());
        assertSingle(scan("api_key = adf4b1dbRdW3rOcB7xLthrM4BTBGK1qPLkHigpN1bXD6z"), "generic-credential", 10, 55);
    }

    @Test
    void curlUserWithBraceWrappedLiteralsIsFoundButBracedWordsAreNot() {
        String text = "curl --user \"{acd3c08b}\":\"{ZqL5kVrX1n8tA2}\" https://api.example.net";
        List<Finding> found = scan(text);
        assertEquals(1, found.size(), () -> "findings: " + found);
        assertEquals("curl-auth-user", found.get(0).type());
        assertTrue(scan("curl --user \"{username}\":\"{password}\" https://api.example.net").isEmpty());
    }

    @Test
    void slackLegacyTokenWithLongNumericIdsIsFound() {
        String token = "xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c";
        assertSingle(scan("SLACK=" + token), "slack-token", 6, 6 + token.length());
    }

    @Test
    void npmrcTokenNeedsARegistryHost() {
        String uuid = "743b294a-cd03-11ec-9d64-0242ac120002";
        assertSingle(scan("//registry.npmjs.org/:_authToken=" + uuid), "npmrc-auth-token", 33, 69);
        assertTrue(scan("///:_authToken=" + uuid).stream().noneMatch(f -> f.type().equals("npmrc-auth-token")));
    }

    @Test
    void gitlabTokenBodyLongerThanFiftyCharsIsAnotherIdentifier() {
        String body = "Rk8q2Lm9Zx4Tb7Wn1Pv6Yc3Hs5Jd0Gf8Qa2Xe4Mu9Nr7Kt1Lp3";
        assertEquals(50, body.length());
        assertSingle(scan("token: glpat-" + body), "gitlab-token", 7, 13 + body.length());
        assertTrue(scan("token: glpat-" + body + "_").isEmpty());
        assertTrue(scan("token: glpat-" + body + "Z").isEmpty());
    }

    @Test
    void discordTokenIsFoundInsideALongerRunFromItsMNOStart() {
        String token = "NzY1NDMyMTA5ODc2NTQzMjEw.Xb4kQz.Rv8mTq2Lw9Zx4Nb7Hc1Pk6Yd3Js";
        String text = "AT" + token;
        assertSingle(scan(text), "discord-bot-token", 2, text.length());
        // a first segment of 27 chars has no M/N/O start 24-26 chars before the dot
        assertTrue(scan("PTAyOTQ4MTN5OTU5MTDwMEcxNg0.Xb4kQz.Rv8mTq2Lw9Zx4Nb7Hc1Pk6Yd3Js").isEmpty());
    }

    @Test
    void softlayerKeyInTheSoapEndpointPathIsASecret() {
        String key = "9f2k4m8q1w7e3r5t6y0u2i4o8p1a3s5d7f9g2h4j6k8l0z1x3c5v7b9n2m4q6w8e";
        String text = "client = Client('https://api.softlayer.com/soap/v3.1/" + key + "')";
        int start = text.indexOf(key);
        assertSingle(scan(text), "softlayer-api-key", start, start + key.length());
    }

    @Test
    void curlHeaderTokenIsHeldToGitleaksHeaderEntropyButAnAssignmentIsNot() {
        String value = "74bf20f876ffc474"; // 16 hex chars at 2.9 bits/char
        String header = "curl -X POST http://localhost/api -H \"Token: " + value + "\" -d x=1";
        int start = header.indexOf(value);
        assertSingle(scan(header), "generic-credential", start, start + value.length());
        assertTrue(scan("token = " + value).isEmpty());
    }

    @Test
    void providerNamedOrPrefixedValuesAreJudgedByTheProviderFormat() {
        String hex40 = "3f9a1c7e5b2d8f4a6c0e1b3d5f7a9c2e4b6d8f0a";
        assertSingle(scan("meraki_api_key: " + hex40), "cisco-meraki-api-key", 16, 56);
        // Meraki keys are lower-case hex of 40 chars: upper case or another length is not one
        assertTrue(scan("meraki_api_key: " + hex40.replace('f', 'F')).isEmpty());
        assertTrue(scan("MERAKI_TOKEN=" + hex40 + "9Rz").isEmpty());
        // dapi + 32 hex is Databricks' format; a g is not hex, so this is not a Databricks token nor a generic one
        assertTrue(scan("DATABRICKS_TOKEN=dapi3f9a1c7e5b2d8f4a6c0e1b3d5f7a9cg2").isEmpty());
        // npm's own key only counts in its .npmrc form //host/:_authToken=
        String uuid = "5c1f8a2e-9b3d-4e7f-a1c6-0d2b4f6e8a13";
        assertTrue(scan("_authToken=" + uuid).isEmpty());
        assertSingle(scan("//registry.npmjs.org/:_authToken=" + uuid), "npmrc-auth-token", 33, 69);
        // the same value under another credential name is still a generic secret
        assertSingle(scan("user_authToken=" + uuid), "generic-credential", 15, 51);
        assertSingle(scan("CameraKitToken: " + hex40), "generic-credential", 16, 56);
    }
    /** Exactly one finding, of {@code type}, on {@code value} where it stands in {@code text}. */
    private void assertFinds(String text, String type, String value) {
        assertSingle(scan(text), type, text.indexOf(value), text.indexOf(value) + value.length());
    }

    @Test
    void credentialsAssignedTheWaysCodeAndConfigAssignThem() {
        String pw = "n3CapyVmTo#66q";
        // a subscript, a quoted name and its value as a call's arguments, a setter, a builder, SQL
        assertFinds("app.config[\"SECRET_KEY\"] = \"347b31476a2a51d64aca24f4c41a4e3d\"", "generic-credential",
                "347b31476a2a51d64aca24f4c41a4e3d");
        assertFinds("define( 'DB_PASSWORD', '" + pw + "' );", "generic-credential", pw);
        assertFinds("config.setPassword(\"" + pw + "\");", "generic-credential", pw);
        assertFinds("builder.password(\"" + pw + "\").build()", "generic-credential", pw);
        assertFinds("CREATE ROLE bi WITH LOGIN PASSWORD '" + pw + "';", "generic-credential", pw);
        // $ and % inside random text are chars of the secret, not a variable or a format
        assertFinds("Password=wa1XKd7SxEaqK$71;Encrypt=True", "generic-credential", "wa1XKd7SxEaqK$71");
        assertFinds("POSTGRES_PASSWORD: \"xRvQPtymHgtAD%60\"", "generic-credential", "xRvQPtymHgtAD%60");
        assertTrue(scan("password = \"$DB_PASSWORD\" and token = \"%(token)s\" and pass = \"%DB_PASS%\"").isEmpty());
        // the user may be empty in a URL; Go's DSN has no scheme
        assertFinds("broker_url = \"redis://:rK1xUzOhekoLCq0I637@cache.internal:6379/0\"", "basic-auth-url",
                "rK1xUzOhekoLCq0I637");
        assertFinds("sql.Open(\"mysql\", \"app:OnmsWTsi4QDZXbKnY30@tcp(db:3306)/app\")", "basic-auth-url",
                "OnmsWTsi4QDZXbKnY30");
        // PowerShell's environment drive is one colon, not a chain of names
        assertFinds("$env:API_TOKEN = \"" + pw + "\"", "generic-credential", pw);
        // a getter's argument is a name, not a value
        assertTrue(scan("String pw = config.getPassword(\"db.main.password\");").isEmpty());
    }

    @Test
    void keysThatAreNoCredentialsAreNotReported() {
        String uuid = "f418cb0e-4e98-4cc6-b8e0-3c3764778e3c";
        assertTrue(scan("\"idempotency_key\": \"" + uuid + "\"").isEmpty());
        assertTrue(scan("-H \"Idempotency-Key: " + uuid + "\"").isEmpty());
        assertTrue(scan("cache_key = \"user:42:profile:v7Xq9\"").isEmpty());
        // a segment of an ARN is a name: arn:aws:secretsmanager:…:secret:prod/orders/db-AWOmFn
        assertTrue(scan("resource: arn:aws:secretsmanager:eu-west-1:530429123875:secret:prod/orders/db-AWOmFn").isEmpty());
        // a Firebase web config's apiKey is public: an AIza key counts only in a Gemini or Google API context
        assertTrue(scan("const firebaseConfig = {\n  apiKey: \"AIzaIcXh0RQzAe1bAzsjDyQw8cQwp1LMt-j1UQm\",").isEmpty());
        // the same shapes under a credential name still count
        assertFinds("api_key = \"" + uuid + "\"", "generic-credential", uuid);
    }
}
