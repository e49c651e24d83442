package dev.acmesmime.organisation;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.rfc8823.ReasonCode;
import dev.acmesmime.rfc8823.Verdict;

/**
 * What the organisation role decided about one challenge mail for one mailbox: answered, with the
 * signed response to send, or ignored, with the stable codes saying why (C18: an ignored challenge
 * gets no response).
 * <p>
 * Build with {@link #answered} or {@link #ignored}.
 *
 * @param outcome            answered or ignored
 * @param mailbox            the mailbox the challenge was for, normalised ({@link Mailboxes#normalize})
 * @param codes              {@code [answered]}, or the failure codes of the inspection
 *                           ({@link FailureCode}) followed by the {@link DecisionCode}s
 * @param reason             one line for the log (values from the mail are quoted, C19)
 * @param verdict            the inspection's verdict, absent when the mail was not inspected (null sender)
 * @param challengeUrl       the registered challenge it was matched to, if any
 * @param response           the DKIM-signed response, only when answered
 */
public record Decision(Outcome outcome, String mailbox, List<ReasonCode> codes, String reason, Optional<Verdict> verdict,
                       Optional<URI> challengeUrl, Optional<Response> response) {

    /** Answered or ignored. */
    public enum Outcome {
        ANSWERED, IGNORED;

        /** {@code answered} or {@code ignored}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The response to send.
     *
     * @param envelopeSender the mailbox (MAIL FROM), so the CA sees SPF and DKIM aligned with From
     * @param recipient      the challenge's Reply-To, else its From (R4); the only envelope recipient
     * @param messageId      the response's Message-ID, angle brackets included
     * @param message        the signed message, CRLF line endings
     */
    public record Response(String envelopeSender, String recipient, String messageId, byte[] message) {
        public Response {
            Objects.requireNonNull(envelopeSender, "envelopeSender");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(messageId, "messageId");
            message = message.clone();
        }

        @Override
        public byte[] message() {
            return message.clone();
        }

        @Override
        public String toString() {
            return "Response[from=" + envelopeSender + ", to=" + recipient + ", messageId=" + messageId + ", "
                    + message.length + " bytes]";
        }
    }

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(mailbox, "mailbox");
        codes = List.copyOf(codes);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(challengeUrl, "challengeUrl");
        Objects.requireNonNull(response, "response");
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("a decision names at least one code");
        }
        if ((outcome == Outcome.ANSWERED) != response.isPresent()) {
            throw new IllegalArgumentException("a response comes with, and only with, an answered decision");
        }
    }

    static Decision answered(String mailbox, String reason, Verdict verdict, URI challengeUrl, Response response) {
        return new Decision(Outcome.ANSWERED, mailbox, List.of(DecisionCode.ANSWERED), reason,
                Optional.of(verdict), Optional.of(challengeUrl), Optional.of(response));
    }

    static Decision ignored(String mailbox, List<ReasonCode> codes, String reason, Verdict verdict, URI challengeUrl) {
        return new Decision(Outcome.IGNORED, mailbox, codes, reason, Optional.ofNullable(verdict),
                Optional.ofNullable(challengeUrl), Optional.empty());
    }

    public boolean answered() {
        return outcome == Outcome.ANSWERED;
    }

    /**
     * {@code true} when the challenge was ignored only because the CA's DKIM key could not be looked up for
     * now (D16, RFC 6376 §6.3: {@code dkim-temperror} is the one code): the same mail may be answered on a
     * later try. Any other reason, such as no pending challenge, makes a retry pointless.
     */
    public boolean retryable() {
        return outcome == Outcome.IGNORED && verdict.map(Verdict::retryable).orElse(false)
                && codes.equals(List.of(FailureCode.DKIM_TEMPERROR));
    }

    /**
     * {@code true} when the challenge was not judged yet because its registration is still to come
     * ({@link DecisionCode#AWAITING_REGISTRATION} is the one code): the same mail may be answered once
     * the enrolment registered it. Separate from {@link #retryable()}, which is about DNS and retried
     * minutes apart.
     */
    public boolean awaitingRegistration() {
        return outcome == Outcome.IGNORED && codes.equals(List.of(DecisionCode.AWAITING_REGISTRATION));
    }

    public boolean has(ReasonCode code) {
        return codes.contains(code);
    }

    /** The codes as they leave the plugin (header, mail attribute, audit record), in order. */
    public List<String> codeValues() {
        return codes.stream().map(ReasonCode::code).toList();
    }

    /** {@code true} when the mail was no RFC 8823 challenge at all ({@code not-acme}): it needs no decision header. */
    public boolean notAChallenge() {
        return codes.equals(List.of(FailureCode.NOT_ACME));
    }

    /**
     * The value of a decision header: {@code answered}, or {@code ignored; <code>,<code>...}, e.g.
     * {@code ignored; dkim-misaligned}.
     */
    public String headerValue() {
        return answered() ? outcome.label() : outcome.label() + "; " + String.join(",", codeValues());
    }
}
