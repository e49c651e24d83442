package dev.acmesmime.ca;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.ca.ResponseCase.Ending;
import dev.acmesmime.ca.forward.DkimEvidence;
import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardPayloads;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxStore;

/**
 * B6, S0f: the first authentic response uses the challenge up and is queued for the ACME server;
 * the same response again is a {@link Disposition#DUPLICATE} (nothing new sent), another one
 * {@link Disposition#ALREADY_USED}, so a stranger cannot guess twice. Call inside the transaction
 * that also writes the records, so a crash leaves all or nothing.
 */
final class SingleUse {
    private final IssuedChallengeStore challenges;
    private final OutboxStore outbox;
    private final ForwardContract contract;
    private final String destination;

    SingleUse(IssuedChallengeStore challenges, OutboxStore outbox, ForwardContract contract, String destination) {
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.contract = Objects.requireNonNull(contract, "contract");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /**
     * @param rc        the authentic, fresh response with its full-check values
     * @param challenge the challenge it answers
     * @param used      the signature that made it authentic
     * @param end       when the challenge's validity ends (B7)
     */
    Ending use(ResponseCase rc, IssuedChallenge challenge, SignatureResult used, Instant end) {
        String messageId = challenge.messageId();
        switch (challenges.consume(messageId, rc.values().digest(), rc.validationId())) {
            case FIRST -> {
                OutboxItem item = enqueue(validated(rc.validationId(), rc, challenge, used, end));
                challenges.attachOutbox(messageId, item.id());
                return new Ending(Disposition.FORWARDED, List.of(), Optional.of(item.id()), Optional.empty());
            }
            case DUPLICATE -> {
                return duplicate(rc, challenge, used, end);
            }
            case ALREADY_USED -> {
                return Ending.of(Disposition.ALREADY_USED);
            }
            default -> {
                return Ending.of(Disposition.UNCORRELATED);
            }
        }
    }

    private Ending duplicate(ResponseCase rc, IssuedChallenge challenge, SignatureResult used, Instant end) {
        IssuedChallenge c = challenges.find(challenge.messageId()).orElseThrow();
        Optional<Long> repaired = Optional.empty();
        if (c.outboxId().isEmpty() && c.validationId().isPresent()) {
            // the first handling stopped between consuming and queueing (a crash): queue it now,
            // under the first validation's id so the receiver sees one result
            OutboxItem item = enqueue(validated(c.validationId().get(), rc, challenge, used, end));
            if (challenges.attachOutbox(challenge.messageId(), item.id())) {
                repaired = Optional.of(item.id());
            }
        }
        return new Ending(Disposition.DUPLICATE, List.of(), repaired, c.validationId());
    }

    private OutboxItem enqueue(ValidatedResponse r) {
        return outbox.enqueue(destination, ForwardPayloads.envelope(contract, r).toBytes());
    }

    private static ValidatedResponse validated(String id, ResponseCase rc, IssuedChallenge c, SignatureResult used,
                                               Instant end) {
        ExtractedValues v = rc.values();
        InboundResponse in = rc.in();
        return new ValidatedResponse(id, rc.receivedAt(), c.identifier(), v.from(), c.tokenPart1(), v.digest(),
                new ValidatedResponse.Answered(c.messageId(), c.createdAt(), end), rc.correlation().keys(),
                DkimEvidence.of(used), rc.checks(), new ValidatedResponse.Received(Optional.ofNullable(v.messageId()),
                Optional.ofNullable(v.inReplyTo()), in.envelopeFrom(), in.remoteAddress(), in.raw()));
    }
}
