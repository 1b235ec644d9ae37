package io.infershield.token.rest;

import io.infershield.token.service.LinkMetadata;

import java.util.List;

/** The body of {@code GET …/links}. */
public record LinkList(List<LinkMetadata> links) {
}
