package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.config.TokenConfig;
import io.infershield.token.entity.ProviderLink;
import io.infershield.token.provider.CopilotToken;
import io.infershield.token.provider.ProviderClient;
import io.infershield.token.provider.ProviderException;
import io.infershield.token.repository.LinkRows;
import io.infershield.token.repository.ProviderLinkRepository;
import io.infershield.token.vault.CiphertextRejectedException;
import io.infershield.token.vault.VaultUnavailableException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Custody of users' provider links for auth-service: store (sealed, and for GitHub exchanged for a Copilot token at
 * once), list (metadata only) and delete (revoked upstream where the provider supports RFC 7009, then removed).
 */
@ApplicationScoped
public class LinkService {

    private static final Logger LOG = Logger.getLogger(LinkService.class);

    private final Pool pool;
    private final LinkRows rows;
    private final ProviderLinkRepository repository;
    private final Sealer sealer;
    private final ProviderClient providers;
    private final TokenEvents events;
    private final TokenConfig config;
    private final RefreshPolicy policy;
    private final Clock clock;

    LinkService(Pool pool, LinkRows rows, ProviderLinkRepository repository, Sealer sealer, ProviderClient providers,
                TokenEvents events, TokenConfig config, RefreshPolicy policy, Clock clock) {
        this.pool = pool;
        this.rows = rows;
        this.repository = repository;
        this.sealer = sealer;
        this.providers = providers;
        this.events = events;
        this.config = config;
        this.policy = policy;
        this.clock = clock;
    }

    /** The Copilot exchange at link time: a token, or why there is none. */
    private record Exchange(CopilotToken copilot, String failure) {
    }

    /** Stores the user's link, replacing an earlier one of the same provider. */
    public Uni<LinkMetadata> store(Access access, LinkRequest request) {
        TokenConfig.Provider provider = config.providers().get(access.provider());
        if (provider == null) {
            return Uni.createFrom().failure(NotFoundException.unknownProvider(access.provider()));
        }
        boolean github = provider.kind() == TokenConfig.ProviderKind.GITHUB;
        Uni<Exchange> exchange = github
                ? providers.copilotToken(access.provider(), provider, request.accessToken())
                        .map(copilot -> new Exchange(copilot, null))
                        .onFailure(ProviderException.class)
                        .recoverWithItem(e -> new Exchange(null, ((ProviderException) e).reason()))
                : Uni.createFrom().item(new Exchange(null, null));
        Instant now = clock.instant();
        Instant accessExpiresAt = request.expiresIn() == null ? null : now.plusSeconds(request.expiresIn());
        List<String> scopes = request.scopes() == null ? List.of() : request.scopes();
        return exchange.chain(ex -> {
            CopilotToken copilot = ex.copilot();
            boolean broken = ex.failure() != null;
            Instant due = broken ? null : policy.due(accessExpiresAt, request.refreshToken() != null,
                    copilot == null ? null : copilot.refreshAt());
            return sealer.sealAll(access, request.accessToken(), request.refreshToken(),
                            copilot == null ? null : copilot.token())
                    .onFailure(VaultUnavailableException.class).call(e -> events.recordAlone(access.event(
                            TokenEvent.STORED, TokenEvent.OUTCOME_FAILED, null,
                            "vault_" + ((VaultUnavailableException) e).reason())))
                    .chain(seals -> pool.withTransaction(tx -> rows.upsert(tx, new LinkRows.NewLink(access.tenant(),
                                    access.subject(), access.provider(), broken ? ProviderLink.BROKEN : ProviderLink.LINKED,
                                    ex.failure(), String.join(" ", scopes), request.tokenType(), seals, accessExpiresAt,
                                    copilot == null ? null : copilot.expiresAt(),
                                    copilot == null ? null : copilot.refreshAt(),
                                    copilot == null ? provider.apiBase().orElse(null) : copilot.apiBase(), now,
                                    policy.nextRefresh(due)))
                            .call(row -> events.record(tx, access.success(TokenEvent.STORED, row.keyVersion())))
                            .call(row -> !github ? Uni.createFrom().voidItem() : events.record(tx, broken
                                    ? access.event(TokenEvent.REFRESHED, TokenEvent.OUTCOME_FAILED, row.keyVersion(),
                                            ex.failure())
                                    : access.success(TokenEvent.REFRESHED, row.keyVersion())))
                            .call(row -> !broken ? Uni.createFrom().voidItem() : events.record(tx, access.event(
                                    TokenEvent.LINK_BROKEN, TokenEvent.OUTCOME_FAILED, row.keyVersion(), ex.failure())))))
                    .invoke(row -> LOG.infof("Stored link tenant=%s user=%s provider=%s state=%s actor=%s",
                            access.tenant(), access.subject(), access.provider(), row.state(), access.actor()))
                    .map(row -> new LinkMetadata(access.provider(), row.state(), scopes, now, accessExpiresAt,
                            copilot == null ? null : now, ex.failure()));
        });
    }

    /** The user's links, by provider: metadata only. */
    public Uni<List<LinkMetadata>> list(String tenant, String subject) {
        return Panache.withSession(() -> repository.listByOwner(tenant, subject))
                .map(links -> links.stream().map(LinkMetadata::of).toList());
    }

    /**
     * Revokes the link upstream where the provider has an RFC 7009 endpoint, then deletes it. A ciphertext that no
     * longer decrypts cannot be revoked upstream but is deleted all the same: the user asked for it to be gone.
     */
    public Uni<Void> delete(Access access) {
        return Panache.withSession(() -> repository.findByOwner(access.tenant(), access.subject(), access.provider()))
                .chain(link -> {
                    if (link == null) {
                        return events.recordAlone(access.event(TokenEvent.REVOKED, TokenEvent.OUTCOME_NOT_FOUND, null,
                                        null))
                                .chain(() -> Uni.createFrom().failure(NotFoundException.noLink(access.provider())));
                    }
                    return remove(access, link).replaceWithVoid();
                });
    }

    /**
     * Revokes and deletes every link of {@code subject}, one after the other, each as {@link #delete} does it and with
     * its own {@code token.revoked} event: for auth-service when an administrator disables the user. Safe to repeat: a
     * user without links is not an error. A failure (the vault cannot open a ciphertext to revoke it upstream) stops the
     * run and keeps the links not yet reached; the caller tries again.
     *
     * @return how many links this call deleted
     */
    public Uni<Integer> deleteAll(String tenant, String subject, String actor, String purpose) {
        return Panache.withSession(() -> repository.listByOwner(tenant, subject))
                .chain(links -> Multi.createFrom().iterable(links)
                        .onItem().transformToUniAndConcatenate(link -> remove(
                                new Access(tenant, subject, link.provider, TokenEvent.USER_TOKEN, actor, purpose), link))
                        .collect().with(Collectors.summingInt(deleted -> deleted ? 1 : 0)));
    }

    /** @return whether this call deleted the row; a concurrent delete that got there first reported it already */
    private Uni<Boolean> remove(Access access, ProviderLink link) {
        return revokeUpstream(access, link)
                .chain(failure -> Panache.withTransaction(() -> repository.delete("id", link.id)
                        .call(deleted -> deleted == 0 ? Uni.createFrom().voidItem() : events.record(failure == null
                                ? access.success(TokenEvent.REVOKED, link.keyVersion)
                                : access.event(TokenEvent.REVOKED, TokenEvent.OUTCOME_FAILED, link.keyVersion,
                                        failure)))))
                .invoke(deleted -> LOG.infof("Deleted link tenant=%s user=%s provider=%s actor=%s purpose=%s",
                        access.tenant(), access.subject(), access.provider(), access.actor(), access.purpose()))
                .map(deleted -> deleted > 0);
    }

    /** @return null when revoked (or the provider has no revocation endpoint), else why not */
    private Uni<String> revokeUpstream(Access access, ProviderLink link) {
        TokenConfig.Provider provider = config.providers().get(access.provider());
        if (provider == null || provider.revocationUrl().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        // RFC 7009 §2.1: revoking the refresh token ends the grant, its access tokens included
        boolean hasRefresh = link.refreshCiphertext != null;
        String ciphertext = hasRefresh ? link.refreshCiphertext : link.accessCiphertext;
        return sealer.open(access, new io.infershield.token.vault.Sealed(link.keyVersion, ciphertext))
                .chain(token -> providers.revoke(access.provider(), provider, token,
                        hasRefresh ? "refresh_token" : "access_token"))
                .replaceWith((String) null)
                .onFailure(ProviderException.class).recoverWithItem(e -> "upstream_" + ((ProviderException) e).reason())
                .onFailure(CiphertextRejectedException.class).recoverWithItem("ciphertext_rejected");
    }
}
