package dev.acmesmime.ca.forward;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * RapidMX's {@code /internal/mail/inbound}: the raw message as body, {@code Authorization: Bearer},
 * {@value ForwardPayloads#ENVELOPE_FROM_HEADER}, {@value ForwardPayloads#REMOTE_ADDRESS_HEADER}.
 * Answers 202 without an outcome.
 */
final class RawBridgeProtocol implements ForwardProtocol {

    @Override
    public String contentType() {
        return "message/rfc822";
    }

    @Override
    public byte[] body(ValidatedResponse r) {
        return r.mail().raw();
    }

    @Override
    public Map<String, String> headers(ValidatedResponse r) {
        return Map.of(ForwardPayloads.ENVELOPE_FROM_HEADER, r.mail().envelopeFrom(),
                ForwardPayloads.REMOTE_ADDRESS_HEADER, r.mail().remoteAddress());
    }

    @Override
    public Map<String, String> authentication(ForwardTarget target, byte[] body, Instant now) {
        return Map.of("Authorization", "Bearer " + new String(target.secret().bytes(), StandardCharsets.UTF_8));
    }

    @Override
    public DeliveryAttempt answer(int status, String answer) {
        return DeliveryAttempt.withoutOutcome(status);
    }
}
