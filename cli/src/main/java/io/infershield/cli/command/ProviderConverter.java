package io.infershield.cli.command;

import io.infershield.cli.oauth.LinkClient;
import picocli.CommandLine;

/**
 * Provider names are configuration keys at auth-service, so any name may be valid; but one becomes a URL path segment,
 * so a name that would need escaping (or climb with {@code ..}) is refused here as a usage error.
 */
class ProviderConverter implements CommandLine.ITypeConverter<String> {

    @Override
    public String convert(String value) {
        if (!LinkClient.PATH_SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a provider name; use letters, digits, '.', '_' or '-', such as github or openai");
        }
        return value;
    }
}
