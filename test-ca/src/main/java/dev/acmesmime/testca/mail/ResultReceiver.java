package dev.acmesmime.testca.mail;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /acme/mail-result}: a result from the CA-role James's forwarder in the native contract
 * (core {@code native-contract.schema.json}). The HMAC and replay window are checked with core's
 * {@code NativeSignatureVerifier}; the digest is recomputed from this CA's own token parts and the
 * account key's thumbprint ({@link EmailReplyValidation}), never taken on trust.
 */
public final class ResultReceiver {

    /** The HTTP answer: status and a JSON body {@code {"outcome","detail"}}. */
    public record Answer(int status, String json) {
    }

    /**
     * @param verifier     checks X-Acme-Smime-Key-Id/-Timestamp/-Signature
     * @param byTokenPart1 the pending validations, by token-part1
     */
    public ResultReceiver(dev.acmesmime.ca.forward.NativeSignatureVerifier verifier,
                          Function<String, Optional<EmailReplyValidation>> byTokenPart1) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @param headers request headers, names in lower case */
    public Answer receive(Map<String, String> headers, byte[] body) {
        throw new UnsupportedOperationException("not yet built");
    }
}
