package io.infershield.token.rest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The body of {@code POST …/credentials/{provider}/refresh}: the version the upstream answered 401 to. */
public record RefreshBody(@NotNull @Min(1) Long rejectedVersion) {
}
