package io.infershield.cli.oauth;

import java.util.List;

/** {@code GET /v1/links}: the parsed entries, and the body as the server sent it for {@code --json}. */
public record Links(List<Link> links, String json) {
}
