package dev.acmesmime.ca;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.json.RecordJson;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.IssuedChallenge;

/**
 * The evidence record of one challenge (B15: the mail as sent, the envelope, every check), kind
 * {@value ChallengeIssuer#EVIDENCE_KIND}.
 *
 * @param verdict   the challenge checks
 * @param codes     the hold codes, empty for a signed challenge
 * @param mail      the submitted challenge
 * @param raw       the message as sent (signed) or as held
 * @param challenge the recorded facts, {@code null} when held
 */
record ChallengeEvidence(Verdict verdict, List<String> codes, OutgoingChallenge mail, byte[] raw,
                         IssuedChallenge challenge) {

    static byte[] json(ChallengeEvidence e) {
        ObjectNode n = RecordJson.object();
        n.put("kind", ChallengeIssuer.EVIDENCE_KIND);
        n.put("method", ValidatedResponse.METHOD);
        n.put("outcome", e.codes.isEmpty() ? ChallengeIssuer.SIGNED : e.codes.get(0));
        ArrayNode fc = n.putArray("failureCodes");
        e.codes.forEach(fc::add);
        n.put("envelopeFrom", e.mail.envelopeFrom());
        ArrayNode rcpt = n.putArray("recipients");
        e.mail.recipients().forEach(rcpt::add);
        n.put("remoteAddress", e.mail.remoteAddress());
        if (e.challenge != null) {
            // written before tag existed as an optional field: an absent tag stays an explicit null
            n.put("tag", e.challenge.tag().orElse(null));
            RecordJson.validity(n, e.challenge);
        }
        // authenticity is the signer's own work here, not a property of the submitted mail
        List<Check> checks = e.verdict.checks().stream().filter(c -> !c.code().isAuthenticity()).toList();
        RecordJson.checks(n.putArray("checks"), checks);
        n.put("raw", Base64.getEncoder().encodeToString(e.raw));
        return RecordJson.bytes(n);
    }
}
