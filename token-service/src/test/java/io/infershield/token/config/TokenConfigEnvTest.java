package io.infershield.token.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The environment variable names token-service/README.md documents for the bootstrap org keys, read the way the
 * packaged service reads them: SmallRye Config matches environment names against the mapping, map keys included, and
 * the mapping's constraints are checked as at start.
 */
class TokenConfigEnvTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static TokenConfig fromEnv(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .withMapping(TokenConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .build()
                .getConfigMapping(TokenConfig.class);
    }

    /** Each entry as {@code tenant/apiKey}, sorted by provider. */
    private static Map<String, String> bootstrapKeys(TokenConfig config) {
        Map<String, String> keys = new TreeMap<>();
        config.bootstrapOrgKeys().forEach((provider, key) ->
                keys.put(provider, key.tenant() + "/" + key.apiKey().orElse("-")));
        return keys;
    }

    @Test
    void oneVariablePerProviderBootstrapsSeveralKeys() {
        TokenConfig config = fromEnv(Map.of(
                "TOKEN_BOOTSTRAP_ORG_KEYS_OPENAI_API_KEY", "sk-openai-0123456789",
                "TOKEN_BOOTSTRAP_ORG_KEYS_ANTHROPIC_API_KEY", "sk-ant-0123456789",
                "TOKEN_BOOTSTRAP_ORG_KEYS_ANTHROPIC_TENANT", "acme"));

        assertEquals(Map.of("anthropic", "acme/sk-ant-0123456789", "openai", "default/sk-openai-0123456789"),
                bootstrapKeys(config));
        assertEquals(Optional.empty(), config.bootstrapOrgKey().apiKey());
    }

    @Test
    void singleKeyVariablesStillWork() {
        TokenConfig config = fromEnv(Map.of(
                "TOKEN_BOOTSTRAP_ORG_KEY_API_KEY", "sk-single-0123456789",
                "TOKEN_BOOTSTRAP_ORG_KEY_PROVIDER", "anthropic",
                "TOKEN_BOOTSTRAP_ORG_KEY_TENANT", "acme"));

        assertEquals(Optional.of("sk-single-0123456789"), config.bootstrapOrgKey().apiKey());
        assertEquals("anthropic", config.bootstrapOrgKey().provider());
        assertEquals("acme", config.bootstrapOrgKey().tenant());
        assertEquals(Map.of(), bootstrapKeys(config));
    }

    @Test
    void withoutVariablesNothingIsBootstrapped() {
        TokenConfig config = fromEnv(Map.of());

        assertEquals(Map.of(), bootstrapKeys(config));
        assertEquals(Optional.empty(), config.bootstrapOrgKey().apiKey());
        assertEquals("openai", config.bootstrapOrgKey().provider());
    }

    @Test
    void aMapKeyThatIsNoProviderNameStopsTheStart() {
        // An environment name cannot carry a provider name's hyphen: quoted, the key comes out with a dot instead.
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> fromEnv(Map.of("TOKEN_BOOTSTRAP_ORG_KEYS__CORP_IDP__API_KEY", "sk-corp-0123456789")));

        assertEquals(1, e.getProblemCount());
        assertEquals("token.bootstrap-org-keys.corp.idp must match \"[a-z0-9-]{1,32}\"", e.getProblem(0).getMessage());
    }

    @Test
    void aTooShortKeyStopsTheStartWithoutShowingIt() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> fromEnv(Map.of("TOKEN_BOOTSTRAP_ORG_KEYS_OPENAI_API_KEY", "sk-1234")));

        assertEquals(1, e.getProblemCount());
        assertEquals("token.bootstrapOrgKeys.openai.api-key size must be between 8 and 4096",
                e.getProblem(0).getMessage());
    }
}
