package dev.acmesmime.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;

import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Verdict;

/**
 * Parse plus RFC 8823 header/body checks of {@link AcmeMailInspector} for a typical challenge and
 * a typical response, as they arrive at a James server (trace and DKIM-Signature fields in front).
 * No cryptography: the authenticity verifier is a stub that passes, so the figures are the cost
 * of the engine alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InspectorBenchmark {

    private static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    private static final String THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    private static final AuthenticityVerifier STUB = (raw, kind, from) ->
            List.of(Check.pass(FailureCode.DKIM_INVALID, "benchmark stub"));

    private AcmeMailInspector inspector;
    private byte[] challenge;
    private byte[] response;
    private Expectations challengeExpectations;
    private Expectations responseExpectations;

    @Setup
    public void setUp() {
        inspector = AcmeMailInspector.builder().authenticity(STUB).build();
        SecureRandom random = new SecureRandom();
        ChallengeMail c = ChallengeMail.builder().from("acme-challenge@ca.example").to("alexey@example.com")
                .replyTo("acme-response@ca.example").random(random).build();
        challenge = withTrace(c.toByteArray(), "ca.example");
        challengeExpectations = Expectations.builder().expectedFrom("acme-challenge@ca.example")
                .expectedTo("alexey@example.com").build();
        Verdict cv = inspector.inspectChallenge(challenge, challengeExpectations);
        if (!cv.valid()) {
            throw new IllegalStateException("benchmark challenge is not valid: " + cv.checks());
        }
        response = withTrace(ResponseMail.answering(cv, TOKEN_PART2, THUMBPRINT).random(random).build().toByteArray(),
                "example.com");
        responseExpectations = Expectations.builder().expectedFrom("alexey@example.com")
                .expectedTo("acme-response@ca.example").tokenPart2(TOKEN_PART2).accountThumbprint(THUMBPRINT).build();
        Verdict rv = inspector.inspectResponse(response, responseExpectations);
        if (!rv.valid()) {
            throw new IllegalStateException("benchmark response is not valid: " + rv.checks());
        }
    }

    /** Prepends Received and DKIM-Signature fields of realistic size. */
    private static byte[] withTrace(byte[] mail, String domain) {
        String trace = "Received: from mail." + domain + " (mail." + domain + " [192.0.2.10])\r\n"
                + "\tby mx.receiver.example (JAMES SMTP Server) with ESMTPS id 1234567890\r\n"
                + "\tfor <rcpt@receiver.example>; Sat, 5 Dec 2020 10:08:56 +0100\r\n"
                + "Received: from localhost (localhost [127.0.0.1]) by mail." + domain + " with ESMTP id abcdef;\r\n"
                + "\tSat, 5 Dec 2020 10:08:55 +0100\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=s2048;\r\n"
                + "\th=from:sender:reply-to:to:cc:subject:date:in-reply-to:references:message-id:\r\n"
                + "\tauto-submitted:content-type:content-transfer-encoding:resent-date:resent-from;\r\n"
                + "\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
                + "\tb=" + "A".repeat(64) + "\r\n\t " + "B".repeat(64) + "\r\n\t " + "C".repeat(64) + "\r\n\t "
                + "D".repeat(64) + "\r\n\t " + "E".repeat(64) + "\r\n\t " + "F".repeat(20) + "==\r\n";
        byte[] t = trace.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[t.length + mail.length];
        System.arraycopy(t, 0, out, 0, t.length);
        System.arraycopy(mail, 0, out, t.length, mail.length);
        return out;
    }

    /**
     * Baseline for the ratio in the README: mime4j (the parser James ships) building the response
     * as a DOM and reading its text body, with no RFC 8823 rule at all.
     */
    @Benchmark
    public String baselineMime4jParseResponse() throws IOException {
        Message m = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(response));
        return m.getSubject() + ((TextBody) m.getBody()).getMimeCharset();
    }

    @Benchmark
    public Verdict challenge() {
        return inspector.inspect(challenge, challengeExpectations);
    }

    @Benchmark
    public Verdict response() {
        return inspector.inspect(response, responseExpectations);
    }
}
