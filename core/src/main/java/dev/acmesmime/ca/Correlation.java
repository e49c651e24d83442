package dev.acmesmime.ca;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.ca.forward.CorrelationKey;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.MessageIds;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;

/**
 * Which challenge a response answers, found by the three {@link CorrelationKey}s (issue 6): the
 * token-part1 of the Subject finds it (exact match, R2); In-Reply-To/References (R10) and the
 * recipient's sub-address tag are compared with it and recorded. Of several challenges with the
 * token, the one most keys agree with wins, the newest on a tie.
 *
 * @param challenge  the challenge found, if any
 * @param keys       the keys that agreed with it
 * @param referenced the Message-IDs the response names
 * @param tags       the sub-address tags of the recipients
 */
public record Correlation(Optional<IssuedChallenge> challenge, Set<CorrelationKey> keys, Set<String> referenced,
                          Set<String> tags) {

    /** Nothing read yet: a mail rejected before correlation. */
    public static final Correlation NONE = new Correlation(Optional.empty(), Set.of(), Set.of(), Set.of());

    public Correlation {
        // an EnumSet keeps the keys in declaration order, the order audit details list them in
        keys = Collections.unmodifiableSet(keys.isEmpty() ? EnumSet.noneOf(CorrelationKey.class) : EnumSet.copyOf(keys));
    }

    /** Looks the response up among the challenges sent. */
    public static Correlation find(IssuedChallengeStore challenges, ExtractedValues v, List<String> recipients) {
        Set<String> referenced = MessageIds.referenced(v.inReplyTo(), v.references());
        Set<String> tags = MessageIds.tags(recipients);
        IssuedChallenge best = null;
        Set<CorrelationKey> agreed = EnumSet.noneOf(CorrelationKey.class);
        for (IssuedChallenge c : challenges.findByToken(v.tokenPart1())) {
            Set<CorrelationKey> keys = EnumSet.of(CorrelationKey.SUBJECT_TOKEN);
            if (referenced.contains(c.messageId())) {
                keys.add(CorrelationKey.IN_REPLY_TO);
            }
            if (c.tag().isPresent() && tags.contains(c.tag().get())) {
                keys.add(CorrelationKey.SUB_ADDRESS);
            }
            if (best == null || keys.size() > agreed.size()) {
                best = c;
                agreed = keys;
            }
        }
        return new Correlation(Optional.ofNullable(best), agreed, referenced, tags);
    }
}
