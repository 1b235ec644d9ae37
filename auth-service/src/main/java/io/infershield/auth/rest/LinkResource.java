package io.infershield.auth.rest;

import io.infershield.auth.client.TokenVault;
import io.infershield.auth.entity.LinkSession;
import io.infershield.auth.entity.LinkState;
import io.infershield.auth.service.LinkService;
import io.infershield.auth.service.UnknownLink;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The link API {@code infershield connect} drives (docs/architecture.md): start linking a provider, watch the session,
 * cancel it, list and remove links. Authenticated like the personal key API, by the developer's live access
 * credential; a caller only ever sees and changes their own sessions and links.
 */
@Path(LinkResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class LinkResource {

    static final String PATH = "/v1/links";

    private final BearerAuthentication bearer;
    private final LinkService links;

    LinkResource(BearerAuthentication bearer, LinkService links) {
        this.bearer = bearer;
        this.links = links;
    }

    /** A session just started: what the developer needs to approve it at the provider. */
    public record StartedSession(String id, String provider, String state, String userCode, String verificationUri,
            String verificationUriComplete, String expiresAt, int interval) {
    }

    /** Where a session stands. */
    public record SessionStatus(String id, String provider, String state, String error, String userCode,
            String verificationUri, String expiresAt) {
    }

    /**
     * One entry of the link list: a link token-service holds ({@code linked} or {@code broken}), or a session still
     * waiting for approval ({@code pending}, with its {@code sessionId}, user code and verification URI).
     */
    public record LinkEntry(String provider, String state, List<String> scopes, String linkedAt, String expiresAt,
            String lastRefreshAt, String brokenReason, String sessionId, String userCode, String verificationUri) {
    }

    public record LinkList(List<LinkEntry> links) {
    }

    @POST
    @Path("/{provider}")
    public Uni<Response> start(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String provider) {
        return bearer.authenticate(authorization)
                .chain(owner -> links.start(owner, provider))
                .map(session -> Response.created(URI.create(PATH + "/sessions/" + session.id()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .entity(new StartedSession(session.id().toString(), session.provider(),
                                session.state().apiName(), session.userCode(), session.verificationUri(),
                                session.verificationUriComplete(), session.expiresAt().toString(),
                                session.intervalSeconds()))
                        .build());
    }

    @GET
    @Path("/sessions/{id}")
    public Uni<Response> session(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String id) {
        return bearer.authenticate(authorization)
                .chain(owner -> links.find(owner, sessionId(id)))
                .map(session -> Response.ok(new SessionStatus(session.id().toString(), session.provider(),
                                session.state().apiName(), session.error(), session.userCode(),
                                session.verificationUri(), session.expiresAt().toString()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }

    @DELETE
    @Path("/sessions/{id}")
    public Uni<Response> cancel(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String id) {
        return bearer.authenticate(authorization)
                .chain(owner -> links.cancel(owner, sessionId(id)))
                .map(ignored -> Response.noContent().build());
    }

    @GET
    public Uni<Response> list(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return bearer.authenticate(authorization)
                .chain(links::list)
                .map(found -> {
                    List<LinkEntry> entries = new ArrayList<>();
                    for (TokenVault.LinkMetadata link : found.linked()) {
                        entries.add(new LinkEntry(link.provider(), link.state(), link.scopes(), link.linkedAt(),
                                link.expiresAt(), link.lastRefreshAt(), link.brokenReason(), null, null, null));
                    }
                    for (LinkSession session : found.pending()) {
                        entries.add(new LinkEntry(session.provider(), LinkState.PENDING.apiName(), null, null,
                                session.expiresAt().toString(), null, null, session.id().toString(),
                                session.userCode(), session.verificationUri()));
                    }
                    return Response.ok(new LinkList(entries)).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
                });
    }

    @DELETE
    @Path("/{provider}")
    public Uni<Response> remove(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestPath String provider) {
        return bearer.authenticate(authorization)
                .chain(owner -> links.remove(owner, provider))
                .map(ignored -> Response.noContent().build());
    }

    /** A malformed id names no session of the caller, so it is a 404 like any other unknown one. */
    private static UUID sessionId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new UnknownLink("No link session with this id.");
        }
    }
}
