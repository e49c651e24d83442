package dev.acmesmime.james.webadmin;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.acmesmime.ca.forward.ForwardEnvelope;
import dev.acmesmime.store.OutboxItem;

/**
 * One forward of the outbox as {@code GET /acme-smime/outbox} shows it: its delivery state and what it
 * carries to the ACME server. Never its body or headers: they hold the response and the HMAC.
 *
 * @param state   {@code pending} or {@code failed}
 * @param forward what the payload says, written inline; absent when the payload cannot be read
 * @param payload {@code "unreadable"} when the payload cannot be read
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record OutboxItemDto(long id, String destination, String state, int attempts, String createdAt,
                            String nextAttemptAt, Optional<String> lastError, Optional<String> finishedAt,
                            @JsonUnwrapped Forward forward, Optional<String> payload) {

    static final String UNREADABLE = "unreadable";

    /**
     * What a forward carries, as its envelope says. Every field is written, {@code null} included, as the
     * outbox always listed them.
     *
     * @param contract     the forward contract's option name ({@code forward.contract})
     * @param validationId the idempotency key the ACME server sees
     * @param address      the identifier being validated
     * @param token        token-part1
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Forward(String contract, String validationId, String address, String token, String expiresAt) {
    }

    public static OutboxItemDto from(OutboxItem i) {
        Forward forward;
        try {
            ForwardEnvelope e = ForwardEnvelope.fromBytes(i.payload());
            forward = new Forward(e.contract().option(), e.id(), e.address(), e.token(), e.expiresAt().toString());
        } catch (IllegalArgumentException unreadable) {
            forward = null;
        }
        return new OutboxItemDto(i.id(), i.destination(), i.state().name().toLowerCase(Locale.ROOT), i.attempts(),
                i.createdAt().toString(), i.nextAttemptAt().toString(), i.lastError(),
                i.finishedAt().map(Instant::toString), forward,
                forward == null ? Optional.of(UNREADABLE) : Optional.empty());
    }
}
