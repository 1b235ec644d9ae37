package io.infershield.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detector's speed work (dots found outside the automaton, the generic value test reordered on ranges) must
 * not change a single finding: random and adversarial texts are scanned by the detector and by
 * {@link SecretDetectorReference}, the detector as it was before, and the findings must be equal.
 */
class SecretDetectorEquivalenceTest {

    private final SecretDetector detector = new SecretDetector();
    private final SecretDetectorReference reference = new SecretDetectorReference();

    /** Tokens that some provider rule reports, in the forms the rules' own tests use. */
    private static final String[] TOKENS = {
        "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
        "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
        "NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I",
        "s.Ab3dEf5hIjK7MnOpQ9StUvWx",
        "hvs.CAESIJ9z3bfYVEkbSvbxVyfPIbDgT4pVhq0ZhJ3bOUHDjRkRGh4KHGh2cy5nQ2ZrQ3JTcU55WUpsVk1lVlpHRFpQQ3A",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "AKIALALEMEL33243OLIB",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "https://admin:Zq8kLm2Pw9xT@db.example.org",
        "curl -u admin:S3cr3tPassw0rd https://x",
        "isk_Q2x9vB7nM4kP1sT8wZ3yR6uE5",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9OiJjRazXBZ1BjP5CE\n-----END RSA PRIVATE KEY-----",
        "//registry.npmjs.org/:_authToken=npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        "123456789012345|aBcDeFgHiJkLmNoPqRsTuVwXyZ0",
        "SG.aBcDeFgHiJkLmNoPqRsTuV.aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFg",
        "dapi0123456789abcdef0123456789abcdef",
    };
    /** Dots as prose, code, versions and paths have them, and the shapes the two dot guards test. */
    private static final String[] DOTS = {".", "..", "...", "s.", "S.", "a.b", "x.y.z", "process.env.API_KEY", "1.2.3",
        "......", ".abcdef.", "s.abc", "file.pem", "es. ", "Mx.", "this is it. ", "s.Ab3dEf5hIjK7MnOpQ9StUv"};
    private static final String[] NAMES = {"api_key", "apiKey", "PASSWORD", "db_pass", "token", "auth", "secret_key",
        "publicKey", "x-api-key", "--token", "Authorization", "client_secret", "meraki_token", "pwd", "key",
        "sample_token", "user_authToken", "my.key", "-H \"X-Token", "--header 'Auth"};
    private static final String[] OPERATORS = {"=", ": ", " = ", ":=", "=>", "==", " ", "\"=\"", "='", ": \"", "\t:\t"};
    private static final String[] VALUES = {"process.env.API_KEY", "1.2.3", "cert.pem", "https://x.io/a",
        "insert_key_here", "xxxxxxxxxx", "${DB_PASSWORD}", "<your key>", "Zq8#kLm2Pw9xTb", "abc123...",
        "Bearer Zq8kLm2Pw9xTbQ7", "ghp_short1234567", "dapi12345678", "changeme", "password", "a.b", "v1.2.3-beta",
        "a..b", "name.p12", "x.tar.gz", "_a.b_c.d", "9a.b", "a.", ".a", "snake_case_words", "Snake_Case2", "ab://c1d2e3f4g5",
        "aB3dE5fG7hJ9kL1mN3pQ\u2026", "\u00e9t\u00e9.longvalue1", "server0cert.pem", "keystore2024.jks", "build-1a.tar.gz",
        "name1.toolong", "Insert_Api_Key_Value", "Xq9.Mp2.Zr7.Kw4", "Config.Api.Key.Value", "Zq8kLm2Pw9xT://h", "Zq8kLm2Pw9.xT"};
    private static final String NOISE = "abcxyzKEYkeySsTtPp0123456789 \n\t.,;:=\"'`()[]{}<>/\\-_@#%|~+*\u00e9\u4e2d";

    @Test
    void findsExactlyWhatTheReferenceFindsInRandomText() {
        Random random = new Random(11);
        for (int k = 0; k < 5000; k++) {
            String text = randomText(random, k < 4400 ? 1 + random.nextInt(12) : 40 + random.nextInt(120));
            assertSame(text);
        }
    }

    /**
     * Runs of token chars longer than a window (600 chars on, 256 back) with tokens and dots inside, so windows are
     * cut and merged, and the two dot guards see their partners at the run's edges and across the cuts.
     */
    @Test
    void findsExactlyWhatTheReferenceFindsInLongTokenRuns() {
        Random random = new Random(12);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        for (int k = 0; k < 300; k++) {
            StringBuilder b = new StringBuilder();
            int length = 200 + random.nextInt(2500);
            while (b.length() < length) {
                int pick = random.nextInt(20);
                if (pick == 0) {
                    b.append(TOKENS[random.nextInt(TOKENS.length)]);
                } else if (pick < 3) {
                    b.append(DOTS[random.nextInt(DOTS.length)]);
                } else if (pick == 3) {
                    b.append(' ');
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertSame(b.toString());
        }
    }

    /** Texts of dots, s, S and token chars only: every dot is a hit for the Discord guard, many for Vault's. */
    @Test
    void findsExactlyWhatTheReferenceFindsAmongDenseDots() {
        Random random = new Random(13);
        String alphabet = "..sS.aZ09_-.";
        for (int k = 0; k < 3000; k++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(90); i > 0; i--) {
                if (random.nextInt(12) == 0) {
                    b.append(TOKENS[random.nextInt(4)]);
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertSame(b.toString());
        }
    }

    @Test
    void findsExactlyWhatTheReferenceFindsInEdgeCases() {
        for (String text : List.of("", ".", "s.", "S.", "key", "key=", "api_key=", TOKENS[1], TOKENS[3], "x" + TOKENS[1],
                TOKENS[3] + ".", " " + TOKENS[3] + "-", "api_key = " + "a".repeat(300) + "1", ".".repeat(5000),
                "s.".repeat(3000), "a.b".repeat(2000) + TOKENS[1])) {
            assertSame(text);
        }
    }

    /** The test texts do hold findings of the kinds the speed work touches. */
    @Test
    void theRandomTextsHoldDiscordVaultAndGenericFindings() {
        Random random = new Random(11);
        StringBuilder types = new StringBuilder();
        for (int k = 0; k < 2000; k++) {
            for (Finding f : detector.scan(randomText(random, 1 + random.nextInt(12)), Direction.REQUEST)) {
                types.append(f.type()).append(' ');
            }
        }
        for (String type : List.of("discord-bot-token", "vault-token", "generic-credential", "github-pat", "jwt")) {
            assertTrue(types.indexOf(type) >= 0, type);
        }
    }

    private void assertSame(String text) {
        assertEquals(reference.scan(text, Direction.REQUEST), detector.scan(text, Direction.REQUEST), () -> text);
    }

    /** {@code pieces} fragments: tokens, dots, assignments, noise, some in upper or lower case, glued together. */
    private static String randomText(Random random, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < pieces; p++) {
            String piece = switch (random.nextInt(6)) {
                case 0 -> TOKENS[random.nextInt(TOKENS.length)];
                case 1 -> DOTS[random.nextInt(DOTS.length)];
                case 2 -> NAMES[random.nextInt(NAMES.length)] + OPERATORS[random.nextInt(OPERATORS.length)]
                        + (random.nextBoolean() ? VALUES[random.nextInt(VALUES.length)] : randomValue(random));
                case 3 -> {
                    // a keyword cut in two, the halves apart or together
                    String name = NAMES[random.nextInt(NAMES.length)];
                    int cut = random.nextInt(name.length() + 1);
                    yield name.substring(0, cut) + (random.nextBoolean() ? "" : " ") + name.substring(cut);
                }
                default -> {
                    StringBuilder noise = new StringBuilder();
                    for (int i = random.nextInt(8); i >= 0; i--) {
                        noise.append(NOISE.charAt(random.nextInt(NOISE.length())));
                    }
                    if (random.nextInt(20) == 0) {
                        noise.append("\uD83D\uDE00");
                    }
                    yield noise.toString();
                }
            };
            int caseFlip = random.nextInt(8);
            b.append(caseFlip == 0 ? piece.toUpperCase(Locale.ROOT) : caseFlip == 1 ? piece.toLowerCase(Locale.ROOT) : piece);
        }
        return b.toString();
    }

    /** Random letters and digits, sometimes with a dot, dash or underscore: random-looking or not, by chance. */
    private static String randomValue(Random random) {
        String alphabet = random.nextBoolean() ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                : "abc._-019";
        StringBuilder v = new StringBuilder();
        for (int i = 4 + random.nextInt(40); i > 0; i--) {
            v.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return v.toString();
    }
}
