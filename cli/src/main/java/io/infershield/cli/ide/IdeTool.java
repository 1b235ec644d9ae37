package io.infershield.cli.ide;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The IDE assistants the command knows how to configure. Each renders its settings from the gateway's base URL
 * ({@code <proxy>}) and the developer's credential.
 */
public enum IdeTool {

    CURSOR("cursor") {
        @Override
        public IdeSettings settings(String proxy, String credential, String model, Path home) {
            return new IdeSettings("""
                    Cursor: Settings → Models → API Keys
                      OpenAI API Key:            %s
                      Override OpenAI Base URL:  on, %s/v1
                    Then add the model name %s under Models and click Verify.
                    Cursor sends these requests from its own servers, so the gateway must be reachable from the internet
                    (a 127.0.0.1 address only works for tools that call it from your machine).
                    """.formatted(credential, proxy, model), Optional.empty(), Optional.empty());
        }
    },

    CONTINUE("continue") {
        @Override
        public IdeSettings settings(String proxy, String credential, String model, Path home) {
            String yaml = """
                    name: InferShield
                    version: 1.0.0
                    schema: v1
                    models:
                      - name: InferShield %s
                        provider: openai
                        model: %s
                        apiBase: %s/v1
                        apiKey: %s
                        roles: [chat, edit, apply]
                    """.formatted(model, model, proxy, credential);
            Path file = home.resolve(".continue").resolve("config.yaml");
            return new IdeSettings("# Continue: " + file + "\n" + yaml, Optional.of(file), Optional.of(yaml));
        }
    },

    CLAUDE_CODE("claude-code") {
        @Override
        public IdeSettings settings(String proxy, String credential, String model, Path home) {
            // Claude Code appends /v1/messages itself, so the base URL has no /v1. ANTHROPIC_AUTH_TOKEN goes out as
            // a bearer token; the gateway would take ANTHROPIC_API_KEY (x-api-key) as well.
            return new IdeSettings("""
                    Claude Code speaks the Anthropic Messages API; the gateway serves it at %s/v1/messages and forwards
                    to Anthropic with your organisation's key. Start Claude Code with:
                      export ANTHROPIC_BASE_URL=%s
                      export ANTHROPIC_AUTH_TOKEN=%s
                    """.formatted(proxy, proxy, credential), Optional.empty(), Optional.empty());
        }
    },

    CODEX("codex") {
        @Override
        public IdeSettings settings(String proxy, String credential, String model, Path home) {
            // env_key keeps the credential out of config.toml: Codex reads it from the environment at start. Codex
            // speaks the Responses API natively (wire_api "responses"), which the gateway serves at /v1/responses.
            String toml = """
                    model = "%s"
                    model_provider = "infershield"

                    [model_providers.infershield]
                    name = "InferShield gateway"
                    base_url = "%s/v1"
                    env_key = "%s"
                    wire_api = "responses"
                    """.formatted(model, proxy, CODEX_ENV_KEY);
            Path file = home.resolve(".codex").resolve("config.toml");
            return new IdeSettings("# Codex: " + file + "\n" + toml + "\n# and in your shell:\nexport "
                    + CODEX_ENV_KEY + "=" + credential + "\n", Optional.of(file), Optional.of(toml));
        }
    };

    static final String CODEX_ENV_KEY = "INFERSHIELD_API_KEY";

    private final String command;

    IdeTool(String command) {
        this.command = command;
    }

    /** How the tool is named on the command line. */
    public String command() {
        return command;
    }

    public abstract IdeSettings settings(String proxy, String credential, String model, Path home);

    public static Optional<IdeTool> of(String name) {
        for (IdeTool tool : values()) {
            if (tool.command.equals(name)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }
}
