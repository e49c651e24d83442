package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.mail.ResultReceiver;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /acme/mail-result}: a result from the CA-role James's forwarder (native contract), handed to
 * {@code mail.ResultReceiver}, which checks the HMAC and recomputes the digest. Routed only when
 * {@code forward.hmacKeyFile} is set; without it the path is 404.
 */
public final class ResultEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ResultEndpoint.class);

    private final ResultReceiver receiver;

    public ResultEndpoint(ResultReceiver receiver) {
        this.receiver = receiver;
    }

    public void post(Exchange ex) {
        ResultReceiver.Answer answer = receiver.receive(ex.headers(), ex.body());
        LOG.info("mailResult status={}", answer.status());
        ex.send(answer.status(), "application/json", answer.json().getBytes(StandardCharsets.UTF_8));
    }
}
