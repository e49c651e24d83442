package dev.acmesmime.ca;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * What the records of one response mail keep (B15–B18, S/MIME BR §5.4.1): the mail and its SMTP
 * facts, what was read from it, the checks that ran, what DKIM found and the correlation.
 *
 * @param in           the mail as received
 * @param validationId this handling's id
 * @param receivedAt   when it was handled
 * @param values       the values read
 * @param checks       the checks kept as evidence
 * @param signatures   what DKIM found per signature (empty when DKIM did not run)
 * @param correlation  the challenge found and the keys that agreed
 */
record ResponseCase(InboundResponse in, String validationId, Instant receivedAt, ExtractedValues values,
                    List<Check> checks, List<SignatureResult> signatures, Correlation correlation) {
    ResponseCase {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(validationId, "validationId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(values, "values");
        checks = List.copyOf(checks);
        signatures = List.copyOf(signatures);
        Objects.requireNonNull(correlation, "correlation");
    }

    /**
     * How the handling ended.
     *
     * @param disposition       what was done
     * @param failures          the failed checks' codes, for {@link Disposition#REJECTED} and
     *                          {@link Disposition#TEMPORARY}
     * @param outboxId          the item queued, if any
     * @param firstValidationId for a {@link Disposition#DUPLICATE}, the id of the handling that used the challenge
     */
    record Ending(Disposition disposition, List<FailureCode> failures, Optional<Long> outboxId,
                  Optional<String> firstValidationId) {
        Ending {
            Objects.requireNonNull(disposition, "disposition");
            failures = List.copyOf(failures);
            Objects.requireNonNull(outboxId, "outboxId");
            Objects.requireNonNull(firstValidationId, "firstValidationId");
        }

        static Ending of(Disposition d) {
            return new Ending(d, List.of(), Optional.empty(), Optional.empty());
        }

        static Ending failed(Disposition d, List<FailureCode> failures) {
            return new Ending(d, failures, Optional.empty(), Optional.empty());
        }

        /**
         * The audit outcome: the disposition's code, or for a rejection the first authenticity
         * failure if any, since a mail that is not authentic says nothing else worth trusting;
         * otherwise the first failure.
         */
        String outcome() {
            if (disposition != Disposition.REJECTED || failures.isEmpty()) {
                return disposition.code();
            }
            return failures.stream().filter(FailureCode::isAuthenticity).findFirst().orElse(failures.get(0)).code();
        }
    }
}
