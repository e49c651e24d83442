package dev.acmesmime.benchmarks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.mailets.DKIMVerify;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Verdict;

/**
 * Issue 3's performance goal: one DKIM-signed response of about 4 KB (trace fields in front, a
 * signature footer after the ACME block; rsa-sha256, 2048-bit key, relaxed/relaxed, the D7+D3
 * h= list) verified three ways in one run, all with the key in memory so DNS is not measured:
 * <ul>
 * <li>{@link #a_ourFullCheck}: parse, DKIM under the RFC 8823 policy and every RFC 8823 rule,
 *     with the digest compared ({@link AcmeMailInspector#inspectResponse} with
 *     {@link DkimPolicyVerifier}, keys from {@link DkimKeyResolver#ofRecords});</li>
 * <li>{@link #b_jamesDkimVerify}: James 3.8.1's {@code DKIMVerify} mailet alone, on a mail whose
 *     {@link MimeMessage} was parsed once (as James hands it to a mailet), the same key given
 *     through its {@link PublicKeyRecordRetriever};</li>
 * <li>{@link #c_cryptoFloor}: one RSA-2048 {@code SHA256withRSA} verification over the header
 *     block plus SHA-256 over the whole message, the least any DKIM verifier must compute.</li>
 * </ul>
 * Goals (throughput ratios): a/b &ge; 1.0 and a/c &ge; 0.5. Issue 14 §2 adds, in the same run, the
 * same mail signed with Ed25519 alone (RFC 8463, same {@code h=}, canonicalisation and key in
 * memory): {@link #e_ourFullCheckEd25519} and {@link #e2_dkimPolicyOnlyEd25519} beside a and a2,
 * and {@link #f_cryptoFloorEd25519} (SHA-256 over the message and the header block, one Ed25519
 * verification) beside c; reported as the ratios Ed25519/RSA (no goal). {@link #f2_jdkEd25519Verify}
 * shows why the verifier uses BouncyCastle's Ed25519 rather than the JDK's.
 * {@code benchmarks/run.sh} runs it and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimBenchmark {

    static final String USER = "alexey@example.com";
    static final String CA = "acme-response@ca.example";
    static final String SELECTOR = "s2048";
    static final String ED25519_SELECTOR = "ed";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    static final int TARGET_SIZE = 4096;

    byte[] signed;
    Expectations expectations;
    DkimPolicyVerifier dkim;
    AcmeMailInspector inspector;
    DKIMVerify jamesMailet;
    Mail jamesMail;
    KeyPair floorKeys;
    byte[] headerBlock;
    byte[] floorSignature;
    byte[] signedEd25519;
    KeyPair edKeys;
    byte[] edFloorSignature;
    byte[] edPublicKey;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        String record = DkimKeys.keyRecord(keys.getPublic());

        signed = DkimSigner.builder().privateKey(keys.getPrivate()).selector(SELECTOR)
                .clock(Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC)).build()
                .sign(unsignedResponse(), MessageKind.RESPONSE);
        expectations = Expectations.builder().expectedFrom(USER).expectedTo(CA)
                .tokenPart2(TOKEN_PART2).accountThumbprint(THUMBPRINT).build();

        edKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signedEd25519 = DkimSigner.builder().privateKey(edKeys.getPrivate()).selector(ED25519_SELECTOR)
                .clock(Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC)).build()
                .sign(unsignedResponse(), MessageKind.RESPONSE);

        dkim = DkimPolicyVerifier.builder()
                .keyResolver(DkimKeyResolver.ofRecords(Map.of(SELECTOR + "._domainkey.example.com", record,
                        ED25519_SELECTOR + "._domainkey.example.com", DkimKeys.keyRecord(edKeys.getPublic()))))
                .build();
        inspector = AcmeMailInspector.builder().authenticity(dkim).build();
        Verdict v = inspector.inspectResponse(signed, expectations);
        if (!v.valid()) {
            throw new IllegalStateException("(a) does not accept the benchmark mail: " + v.checks());
        }
        Verdict e = e_ourFullCheckEd25519();
        if (!e.valid()) {
            throw new IllegalStateException("(e) does not accept the Ed25519 benchmark mail: " + e.checks());
        }

        PublicKeyRecordRetriever inMemory = (method, selector, domain) -> List.of(record);
        jamesMailet = new DKIMVerify(inMemory);
        jamesMailet.init(FakeMailetConfig.builder().mailetName("DKIMVerify")
                .mailetContext(FakeMailContext.defaultContext()).build());
        jamesMail = FakeMail.builder().name("bench")
                .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(signed)))
                .sender(USER).recipient(CA).build();
        String result = b_jamesDkimVerify();
        if (!result.startsWith("pass")) {
            throw new IllegalStateException("(b) does not pass the benchmark mail: " + result);
        }

        floorKeys = keys;
        headerBlock = new String(signed, StandardCharsets.US_ASCII).split("\r\n\r\n", 2)[0]
                .getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(headerBlock);
        floorSignature = s.sign();
        if (!c_cryptoFloor()) {
            throw new IllegalStateException("(c) does not verify");
        }
        Signature ed = Signature.getInstance("Ed25519");
        ed.initSign(edKeys.getPrivate());
        ed.update(MessageDigest.getInstance("SHA-256").digest(headerBlock));
        edFloorSignature = ed.sign();
        byte[] spki = edKeys.getPublic().getEncoded();
        edPublicKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        if (!f_cryptoFloorEd25519() || !f2_jdkEd25519Verify()) {
            throw new IllegalStateException("(f) or (f2) does not verify");
        }
    }

    /** An RFC 8823 response padded to about {@value #TARGET_SIZE} octets as it arrives at the CA. */
    private static byte[] unsignedResponse() {
        ChallengeMail c = ChallengeMail.builder().from("acme-challenge@ca.example").to(USER).replyTo(CA).build();
        AcmeMailInspector unsignedOk = AcmeMailInspector.builder()
                .authenticity((raw, kind, from) -> List.of(Check.pass(FailureCode.DKIM_INVALID, "setup only")))
                .build();
        Verdict cv = unsignedOk.inspectChallenge(c.toByteArray(), Expectations.NONE);
        String response = ResponseMail.answering(cv, TOKEN_PART2, THUMBPRINT).build().asString();
        String trace = "Received: from mail.example.com (mail.example.com [192.0.2.10])\r\n"
                + "\tby mx.ca.example (JAMES SMTP Server) with ESMTPS id 1234567890\r\n"
                + "\tfor <" + CA + ">; Sat, 28 Nov 2026 10:08:56 +0100\r\n"
                + "Received: from localhost (localhost [127.0.0.1]) by mail.example.com with ESMTP id abcdef;\r\n"
                + "\tSat, 28 Nov 2026 10:08:55 +0100\r\n";
        StringBuilder footer = new StringBuilder("\r\n-- \r\n");
        while (trace.length() + response.length() + footer.length() + 700 < TARGET_SIZE) {
            footer.append("This message was generated automatically in answer to an ACME challenge. ")
                    .append("Questions go to postmaster@example.com.\r\n");
        }
        return (trace + response + footer).getBytes(StandardCharsets.UTF_8);
    }

    /** Size of the signed mail, for the report. */
    public int size() {
        return signed.length;
    }

    @Benchmark
    public Verdict a_ourFullCheck() {
        return inspector.inspectResponse(signed, expectations);
    }

    /** Diagnostic: the DKIM part of (a) alone, no RFC 8823 parsing or rules. */
    @Benchmark
    public List<Check> a2_dkimPolicyOnly() {
        return dkim.verify(signed, MessageKind.RESPONSE, USER);
    }

    @Benchmark
    public String b_jamesDkimVerify() throws Exception {
        jamesMailet.service(jamesMail);
        return jamesMail.getAttribute(DKIMVerify.DKIM_AUTH_RESULT).map(Attribute::getValue)
                .map(v -> String.valueOf(v.value())).orElse("none");
    }

    /** (a) on the same mail signed with Ed25519 instead of RSA-2048. */
    @Benchmark
    public Verdict e_ourFullCheckEd25519() {
        return inspector.inspectResponse(signedEd25519, expectations);
    }

    /** (a2) on the Ed25519-signed mail. */
    @Benchmark
    public List<Check> e2_dkimPolicyOnlyEd25519() {
        return dkim.verify(signedEd25519, MessageKind.RESPONSE, USER);
    }

    /**
     * (c) for Ed25519: SHA-256 over the message and over the header block, one Ed25519 verification
     * (RFC 8463 §3) with BouncyCastle's RFC 8032 code, which (e) uses.
     */
    @Benchmark
    public boolean f_cryptoFloorEd25519() throws Exception {
        MessageDigest.getInstance("SHA-256").digest(signedEd25519);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(headerBlock);
        return Ed25519.verify(edFloorSignature, 0, edPublicKey, 0, hash, 0, hash.length);
    }

    /** Diagnostic: the Ed25519 verification of (f) with the JDK 17's EdDSA instead, which (e) does not use. */
    @Benchmark
    public boolean f2_jdkEd25519Verify() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(edKeys.getPublic());
        s.update(MessageDigest.getInstance("SHA-256").digest(headerBlock));
        return s.verify(edFloorSignature);
    }

    @Benchmark
    public boolean c_cryptoFloor() throws Exception {
        MessageDigest.getInstance("SHA-256").digest(signed);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(floorKeys.getPublic());
        s.update(headerBlock);
        return s.verify(floorSignature);
    }
}
