package dev.acmesmime.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.mail.internet.MimeMessage;

import dev.acmesmime.gateway.BcSmimeProtection;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayResult;
import dev.acmesmime.gateway.HarvestResult;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.gateway.SmimeProtection;
import dev.acmesmime.smime.RawEntity;

/**
 * The certificates at work (issue 16), once both are issued: alice logs in to org.test's James over SMTP
 * AUTH and sends bob a short mail; org.test's James signs it with alice's certificate and encrypts it to
 * bob's and alice's (its gateway policies for org.test: sign, opportunistic). The demo reads it from bob's
 * INBOX over IMAP into {@code mails/alice-to-bob.eml} and proves both with core's own S/MIME code, as a
 * mail client would: bob's key, exported over WebAdmin ({@code POST /acme-smime/enrolments/{mailbox}/pkcs12},
 * kept as {@code keys/bob.p12}), decrypts it (G7, G9), and the signature inside verifies against the test
 * CA's root with alice's certificate for From alice (G4, G6). It prints the OpenSSL commands that check the
 * same independently.
 */
final class DemoGateway {

    static final String SUBJECT = "Hello from alice";
    static final String TEXT = "Hello bob,\r\n\r\nthis mail was signed with my own certificate and encrypted to yours.\r\n\r\nalice\r\n";
    /** From SMTP to bob's INBOX through both gateway mailets: a second or two; the rest is a margin. */
    static final Duration DELIVERY_LIMIT = Duration.ofSeconds(30);
    /** The gateway's header: {@code <op> <code>[; <reason>]}, one per operation. */
    static final String HEADER = "X-Acme-Smime-Gateway";

    private final Path work;
    private final PrintStream out;
    private final long startNanos;

    DemoGateway(Path work, PrintStream out, long startNanos) {
        this.work = work;
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Sends, receives and checks the mail; fails naming the step when it is not signed and encrypted as it must be. */
    void run(DemoPorts ports, DemoHttp org, String alice, String bob, Path testCaRoot) throws Exception {
        MimeMessage sent = DemoMail.compose(alice, bob, SUBJECT, TEXT);
        String messageId = sent.getMessageID();
        try {
            DemoMail.submit(ports.orgSmtp(), alice, DemoRun.PASSWORD, sent);
        } catch (Exception e) {
            throw new DemoFailure("send alice's mail", "SMTP AUTH as " + alice + " on 127.0.0.1:" + ports.orgSmtp() + ": " + e);
        }
        step(alice + " logged in over SMTP AUTH (127.0.0.1:" + ports.orgSmtp() + ") and sent " + bob + " a mail " + messageId);
        StringBuilder lastError = new StringBuilder();
        byte[] mail = DemoMail.await(ports.orgImap(), bob, DemoRun.PASSWORD, messageId, DELIVERY_LIMIT, lastError)
                .orElseThrow(() -> new DemoFailure("bob receives alice's mail", "not in " + bob + "'s INBOX (IMAP 127.0.0.1:"
                        + ports.orgImap() + ") within " + DELIVERY_LIMIT.toSeconds() + " s" + (lastError.isEmpty() ? "" : "; " + lastError)));
        Path saved = Files.write(Files.createDirectories(work.resolve("mails")).resolve("alice-to-bob.eml"), mail);
        List<String> verdicts = RawEntity.parse(mail).values(HEADER);
        step(bob + " read it over IMAP -> " + saved + "; org.test's James marked it: " + String.join(", ", words(verdicts)));
        SigningIdentity bobKey = exportKey(org, bob);
        SmimeProtection smime = BcSmimeProtection.builder().trustAnchors(List.of(DemoReport.leaf(Files.readString(testCaRoot)))).build();
        GatewayResult opened = smime.decrypt(mail, bobKey);
        if (opened.code() != GatewayCode.DECRYPTED) {
            throw new DemoFailure("check that the mail is encrypted to bob", opened.code() + ": " + opened.reason(), verdicts);
        }
        step("encrypted: " + DemoEnvelope.describe(mail) + "; " + bob + "'s certificate (serial "
                + bobKey.leaf().getSerialNumber().toString(16) + ") opens it with its key from the PKCS#12 export");
        HarvestResult signature = smime.harvest(opened.message().orElseThrow(), alice);
        X509Certificate signer = signer(signature, alice, verdicts);
        step("signed: by " + alice + "'s certificate (serial " + signer.getSerialNumber().toString(16)
                + "), verified against the test CA's root, its address is From");
        commands(bob);
    }

    /** bob's key and chain over org.test's WebAdmin, also saved as {@code keys/bob.p12} for OpenSSL. */
    private SigningIdentity exportKey(DemoHttp org, String bob) throws Exception {
        byte[] p12 = org.bytes("POST", "/acme-smime/enrolments/" + bob + "/pkcs12", "{\"password\":\"" + DemoRun.PASSWORD + "\"}");
        Files.write(work.resolve("keys/bob.p12"), p12);
        return DemoKeys.identity(bob, p12, DemoRun.PASSWORD);
    }

    /** The signer's leaf, which must be the very certificate alice enrolled ({@code certs/alice@org.test.pem}). */
    private X509Certificate signer(HarvestResult signature, String alice, List<String> verdicts) throws Exception {
        if (signature.code() != GatewayCode.HARVESTED || signature.certificate().isEmpty()) {
            throw new DemoFailure("check alice's signature", signature.code() + ": " + signature.reason(), verdicts);
        }
        X509Certificate enrolled = DemoReport.leaf(Files.readString(work.resolve("certs/" + alice + ".pem")));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(enrolled.getEncoded()));
        if (!expected.equals(signature.certificate().get().fingerprint())) {
            throw new DemoFailure("check alice's signature", "signed by a certificate other than the one " + alice
                    + " enrolled (SHA-256 " + signature.certificate().get().fingerprint() + ")", verdicts);
        }
        return enrolled;
    }

    /** The OpenSSL commands a reader can paste, from the work folder: decrypt with bob's PKCS#12, verify against the root. */
    private void commands(String bob) {
        out.println();
        out.println("Check it yourself with OpenSSL (" + bob + "'s key is in keys/bob.p12, password " + DemoRun.PASSWORD
                + ", a throwaway):");
        out.println("  cd " + work);
        out.println("  openssl cms -decrypt -in mails/alice-to-bob.eml -inkey keys/bob.p12 -passin pass:" + DemoRun.PASSWORD
                + " | openssl cms -verify -CAfile certs/test-ca-root.pem");
    }

    /** "sign signed", "encrypt encrypted": each header's operation and code, without the reason. */
    private static List<String> words(List<String> verdicts) {
        List<String> words = new ArrayList<>();
        for (String v : verdicts) {
            words.add(v.split(";", 2)[0].trim());
        }
        return words.isEmpty() ? List.of("(no " + HEADER + " header)") : words;
    }

    private void step(String what) {
        out.printf("[%6.1f s] %s%n", DemoWatch.seconds(System.nanoTime() - startNanos), what);
    }

}
