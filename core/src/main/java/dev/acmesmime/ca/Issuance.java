package dev.acmesmime.ca;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.IssuedChallenge;

/** How {@link ChallengeIssuer#sign} ended: signed and recorded, or held back. */
public sealed interface Issuance {

    /** The id of the evidence record written. */
    long evidenceId();

    /**
     * Signed and recorded: send {@code signed}.
     *
     * @param signed    the message with its DKIM-Signature
     * @param challenge the facts recorded for correlating responses
     */
    record Issued(byte[] signed, IssuedChallenge challenge, long evidenceId) implements Issuance {
        public Issued {
            signed = signed.clone();
            Objects.requireNonNull(challenge, "challenge");
        }

        @Override
        public byte[] signed() {
            return signed.clone();
        }
    }

    /**
     * Not sent: the challenge broke a rule.
     *
     * @param failures the failed challenge checks of core, in check order
     * @param rules    the CA's own rules it broke, after them
     */
    record Held(List<FailureCode> failures, List<IssueRule> rules, long evidenceId) implements Issuance {
        public Held {
            failures = List.copyOf(failures);
            rules = List.copyOf(rules);
            if (failures.isEmpty() && rules.isEmpty()) {
                throw new IllegalArgumentException("a held challenge has a reason");
            }
        }

        /** Every code, failures first: the held header and the audit outcome (the first) use them. */
        public List<String> codes() {
            return Stream.concat(failures.stream().map(FailureCode::code), rules.stream().map(IssueRule::code)).toList();
        }
    }
}
