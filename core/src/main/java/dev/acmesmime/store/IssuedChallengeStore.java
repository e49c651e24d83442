package dev.acmesmime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * CA role: the challenges the CA sent, for correlating responses (issue 6) and for the per-recipient
 * rate limits of the challenge signer. Single use is decided here with one conditional UPDATE, so two
 * nodes that receive the same response never both forward it.
 */
public interface IssuedChallengeStore {

    /** How {@link #consume} ended. */
    enum Consumption {
        /** This response is the first authentic one: it now owns the challenge. */
        FIRST,
        /** The same response (same digest) consumed it before: a duplicate delivery. */
        DUPLICATE,
        /** Another response consumed it before: no further guesses (RFC 8823 §6, S0f). */
        ALREADY_USED,
        /** No such challenge. */
        UNKNOWN
    }

    /**
     * Records a challenge just sent.
     *
     * @return {@code false} if a challenge with this Message-ID is recorded already (left unchanged)
     */
    boolean record(IssuedChallenge challenge);

    Optional<IssuedChallenge> find(String messageId);

    /** Challenges sent with this token-part1 (normally one), newest first. */
    List<IssuedChallenge> findByToken(String tokenPart1);

    /** Challenges whose response address carries this sub-address tag, newest first. */
    List<IssuedChallenge> findByTag(String tag);

    /**
     * Marks the challenge used by an authentic response, once.
     *
     * @param validationId the response's validation id, kept as the forward's idempotency key
     */
    Consumption consume(String messageId, String digest, String validationId);

    /** Links the outbox item forwarding the consuming response; only while none is linked. */
    boolean attachOutbox(String messageId, long outboxId);

    /**
     * Serialises issuing to addresses at {@code domain}, across nodes, until the surrounding
     * transaction ends, so that counting ({@link #countForIdentifierSince},
     * {@link #countForDomainSince}) and {@link #record} under it cannot race: two nodes never
     * both see the last free place of a rate limit. Call inside {@link Transactions#inTransaction}.
     */
    void lockDomain(String domain);

    /** Challenges sent to {@code identifier} at or after {@code since}. */
    int countForIdentifierSince(String identifier, Instant since);

    /** Challenges sent to any address at {@code domain} at or after {@code since}. */
    int countForDomainSince(String domain, Instant since);
}
