package dev.acmesmime.ca;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;

/**
 * The one recording path of issued challenges, shared by {@link ChallengeIssuer} (challenges James
 * signs) and {@link ChallengeRecorder} (challenges the ACME server notifies): both end in the same
 * row, so {@link ResponseProcessor} correlates and times out both alike (issue 6).
 */
final class ChallengeLedger {

    /**
     * @param added     {@code true} when the facts were new and are now recorded
     * @param challenge the recorded challenge: the new one, or the one recorded before
     * @param differ    for facts not added, which of them differ from the recorded ones
     */
    record Entry(boolean added, IssuedChallenge challenge, List<String> differ) {
        Entry {
            Objects.requireNonNull(challenge, "challenge");
            differ = List.copyOf(differ);
        }
    }

    private final IssuedChallengeStore challenges;

    ChallengeLedger(IssuedChallengeStore challenges) {
        this.challenges = Objects.requireNonNull(challenges, "challenges");
    }

    /**
     * Records {@code c} unless its Message-ID is recorded already, since responses are told apart
     * by it (R10).
     *
     * @param compareCreatedAt whether a different creation time makes the facts differ
     */
    Entry record(IssuedChallenge c, boolean compareCreatedAt) {
        if (challenges.record(c)) {
            return new Entry(true, c, List.of());
        }
        IssuedChallenge prior = challenges.find(c.messageId()).orElseThrow(
                () -> new IllegalStateException("challenge " + c.messageId() + " neither new nor recorded"));
        List<String> differ = new ArrayList<>();
        if (!prior.tokenPart1().equals(c.tokenPart1())) {
            differ.add("tokenPart1");
        }
        if (!Mailboxes.same(prior.identifier(), c.identifier())) {
            differ.add("recipient");
        }
        if (!Mailboxes.same(prior.responseAddress(), c.responseAddress())) {
            differ.add("responseAddress");
        }
        if (compareCreatedAt && !prior.createdAt().equals(c.createdAt())) {
            differ.add("createdAt");
        }
        return new Entry(false, prior, differ);
    }
}
