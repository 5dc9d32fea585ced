package org.ocpihub.registry.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ocpihub.ocpi.credentials.TokenCodec;
import org.ocpihub.ocpi.party.ConnectionStatus;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.PartyRole;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.secret.Secret;
import org.ocpihub.registry.secret.TokenHasher;

/**
 * An immutable view of every platform, indexed for the request path: token hash to platform, party role to platform.
 * Request handling reads only this, never the database (D9).
 */
public final class RegistrySnapshot {

    /** One platform as the snapshot holds it, with the token the hub calls it with (when registered). */
    public record Entry(Platform platform, Optional<Secret> peerToken) {
    }

    private record TokenGrant(UUID platformId, TokenKind kind) {
    }

    private final Map<UUID, Entry> platforms;
    private final Map<String, TokenGrant> tokens;
    private final Map<PartyRole, UUID> parties;
    private final Map<PartyId, List<PartyRole>> rolesByParty;
    /**
     * Authorization header value → the caller it authenticated, for this snapshot only (a reload starts empty, so a
     * revoked or suspended token stops working with the snapshot that says so). Saves the Base64 decoding and one or
     * two SHA-256 per request (issue 12). Only successes are kept, so unknown tokens cannot fill it, and only the two
     * plain spellings of a token ({@code Token <Base64>}, {@code Token <token>}), so a member cannot fill it with
     * variants of its own (other cases of "Token", extra spaces); at most {@link #MAX_REMEMBERED} entries.
     */
    private final Map<String, Caller> remembered = new ConcurrentHashMap<>();

    /** At most this many Authorization values are remembered per snapshot. */
    static final int MAX_REMEMBERED = 10_000;

    private final AgreementBook agreements;

    private RegistrySnapshot(Map<UUID, Entry> platforms, Map<String, TokenGrant> tokens, Map<PartyRole, UUID> parties,
                             AgreementBook agreements) {
        this.agreements = agreements;
        this.platforms = Map.copyOf(platforms);
        this.tokens = Map.copyOf(tokens);
        this.parties = Map.copyOf(parties);
        Map<PartyId, List<PartyRole>> byParty = new HashMap<>();
        parties.keySet().forEach(r -> byParty.computeIfAbsent(r.party(), k -> new ArrayList<>()).add(r));
        byParty.replaceAll((k, v) -> List.copyOf(v));
        this.rolesByParty = Map.copyOf(byParty);
    }

    /** A party role and the platform hosting it. */
    public record Hosted(PartyRole partyRole, Entry host) {
    }

    /** Every role hosted under a country_code/party_id, with its platform (routing headers carry no role). */
    public List<Hosted> hostsOf(PartyId party) {
        return rolesByParty.getOrDefault(party, List.of()).stream()
                .map(r -> new Hosted(r, platforms.get(parties.get(r)))).toList();
    }

    public static RegistrySnapshot empty() {
        return new RegistrySnapshot(Map.of(), Map.of(), Map.of(), AgreementBook.open());
    }

    /** Every country_code/party_id some platform hosts a role under (any status). */
    public java.util.Set<PartyId> parties() {
        return rolesByParty.keySet();
    }

    /** The agreements and their policy as of this snapshot (issue 13, D14). */
    public AgreementBook agreements() {
        return agreements;
    }

    /** Builds the indexes with mode {@code open} and no agreements; secrets arrive already opened. */
    public static RegistrySnapshot of(List<Loaded> loaded) {
        return of(loaded, AgreementBook.open());
    }

    /** Builds the indexes; secrets arrive already opened. */
    public static RegistrySnapshot of(List<Loaded> loaded, AgreementBook agreements) {
        Map<UUID, Entry> platforms = new HashMap<>();
        Map<String, TokenGrant> tokens = new HashMap<>();
        Map<PartyRole, UUID> parties = new HashMap<>();
        for (Loaded l : loaded) {
            UUID id = l.platform().id();
            platforms.put(id, new Entry(l.platform(), Optional.ofNullable(l.peerToken())));
            if (l.tokenAHash() != null) {
                tokens.put(l.tokenAHash(), new TokenGrant(id, TokenKind.TOKEN_A));
            }
            if (l.hubTokenHash() != null) {
                tokens.put(l.hubTokenHash(), new TokenGrant(id, TokenKind.REGISTERED));
            }
            l.platform().roles().forEach(r -> parties.put(r.partyRole(), id));
        }
        return new RegistrySnapshot(platforms, tokens, parties, agreements);
    }

    /** A platform as loaded from the store, its token hashes and its opened peer token. */
    public record Loaded(Platform platform, String tokenAHash, String hubTokenHash, Secret peerToken) {
    }

    /**
     * The caller an {@code Authorization: Token …} header value authenticates ({@link TokenCodec#candidates}, then
     * {@link #authenticate(List)}), remembered for this snapshot: the same header value is answered from a map.
     *
     * @param authorizationHeader the header value as received; null or malformed → empty
     */
    public Optional<Caller> authenticateHeader(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        Caller known = remembered.get(authorizationHeader);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Caller> caller = authenticate(TokenCodec.candidates(authorizationHeader));
        if (caller.isPresent() && remembered.size() < MAX_REMEMBERED
                && plainSpelling(authorizationHeader, caller.get().presentedToken().value())) {
            remembered.put(authorizationHeader, caller.get());
        }
        return caller;
    }

    /** {@code Token <token>} or {@code Token <Base64 of token>}, exactly. */
    private static boolean plainSpelling(String header, String token) {
        return header.equals("Token " + token) || header.equals("Token "
                + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** How many header values this snapshot remembers (tests). */
    int rememberedCount() {
        return remembered.size();
    }

    /**
     * The platform one of the candidate tokens belongs to. Suspended platforms are not authenticated: their
     * tokens stay on file (so an operator can reactivate them) but open nothing.
     */
    public Optional<Caller> authenticate(List<String> candidateTokens) {
        for (String candidate : candidateTokens) {
            TokenGrant grant = tokens.get(TokenHasher.hash(candidate));
            if (grant != null) {
                Entry entry = platforms.get(grant.platformId());
                if (entry != null && entry.platform().status() != ConnectionStatus.SUSPENDED) {
                    return Optional.of(new Caller(entry.platform(), grant.kind(), new Secret(candidate)));
                }
            }
        }
        return Optional.empty();
    }

    public Optional<Entry> platform(UUID id) {
        return Optional.ofNullable(platforms.get(id));
    }

    public Collection<Entry> platforms() {
        return platforms.values();
    }
}
