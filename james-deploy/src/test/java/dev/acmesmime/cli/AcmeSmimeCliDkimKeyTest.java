package dev.acmesmime.cli;

import static dev.acmesmime.cli.AcmeSmimeCliTest.T2;
import static dev.acmesmime.cli.AcmeSmimeCliTest.TV1_THUMBPRINT;
import static dev.acmesmime.cli.AcmeSmimeCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.cli.AcmeSmimeCliTest.Run;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.Dnsmasq;

/**
 * {@code acme-smime dkim-key} and {@code dkim-check} against Debian's dkimpy and a real dnsmasq: the TXT
 * record {@code dkim-key} prints, published as printed, verifies mail signed with the key it wrote, by
 * dkimpy's {@code dkimsign} (RSA) and by our own {@code respond --dkim-key} (RSA and Ed25519); and
 * {@code dkim-check} tells a matching record from a different, a missing and a malformed one.
 */
@Timeout(180) // hang guard only
class AcmeSmimeCliDkimKeyTest {
    static final String DOMAIN = "example.test";
    static final Pattern RECORD = Pattern.compile("(?m)^(\\S+)\\. IN TXT ((?:\"[^\"]*\" ?)+)$");

    @TempDir
    static Path dir;
    static Dnsmasq dns;
    static Path rsaKey;
    static Path edKey;
    static Path unpublishedKey;
    static List<String> rsaStrings;

    /** A record as {@code dkim-key} printed it: its name and its strings, quotes removed. */
    record Printed(String name, List<String> strings) {
        String value() {
            return String.join("", strings);
        }
    }

    @BeforeAll
    static void makeKeysAndPublishThemAsPrinted() throws Exception {
        rsaKey = dir.resolve("keys/rsa._domainkey.example.test.pem");
        Printed rsa = dkimKey("rsa", rsaKey);
        edKey = dir.resolve("keys/ed._domainkey.example.test.pem");
        Printed ed = dkimKey("ed", edKey, "--key-type", "ed25519");
        unpublishedKey = dir.resolve("keys/other.pem");
        dkimKey("other", unpublishedKey);
        rsaStrings = rsa.strings();
        dns = Dnsmasq.builder().txt(rsa.name(), rsa.value()).txt(ed.name(), ed.value())
                .txt("bad._domainkey." + DOMAIN, "v=DKIM1; k=rsa; p=bm90IGEga2V5").start();
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    static Printed dkimKey(String selector, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("dkim-key", "--domain", DOMAIN, "--selector", selector,
                "--out", out.toString()));
        args.addAll(List.of(more));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = RECORD.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        List<String> strings = new ArrayList<>();
        Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(2));
        while (q.find()) {
            strings.add(q.group(1));
        }
        return new Printed(m.group(1), strings);
    }

    @Test
    void dkimKeyWritesAnOwnerOnlyPkcs8KeyAndARecordInStringsOfAtMost255() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rsaKey))).isEqualTo("rw-------");
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(rsaStrings).hasSizeGreaterThan(1).allMatch(s -> s.length() <= 255);
        assertThat(String.join("", rsaStrings)).startsWith("v=DKIM1; k=rsa; p=");
    }

    @Test
    void dkimKeyNeverOverwritesAKey_andTakesOnlyItsKeyTypes() throws IOException {
        String before = Files.readString(rsaKey);
        Run again = run("dkim-key", "--domain", DOMAIN, "--selector", "rsa", "--out", rsaKey.toString());
        assertThat(again.exit()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
        assertThat(again.err()).contains("refusing to overwrite");
        assertThat(Files.readString(rsaKey)).isEqualTo(before);

        Run dsa = run("dkim-key", "--domain", DOMAIN, "--selector", "x", "--out", dir.resolve("x.pem").toString(),
                "--key-type", "dsa1024");
        assertThat(dsa.exit()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
        assertThat(dir.resolve("x.pem")).doesNotExist();
    }

    @Test
    void dkimpySignsWithTheWrittenKeyAndVerifiesAgainstThePrintedRecord() throws Exception {
        byte[] mail = ("From: alice@example.test\r\nTo: bob@ca.test\r\nSubject: hello\r\n"
                + "Message-ID: <1@example.test>\r\n\r\nhi\r\n").getBytes(StandardCharsets.UTF_8);

        Dkimpy.Verification v = Dkimpy.verify(Dkimpy.dkimsign(mail, "rsa", DOMAIN, rsaKey), dns.server());

        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.keysize()).isEqualTo(2048);
    }

    @Test
    void responsesSignedWithTheWrittenRsaAndEd25519KeysVerifyInDkimpy() throws Exception {
        Path challenge = Files.write(dir.resolve("challenge.eml"),
                ChallengeMail.builder().from("acme@ca.test").to("alice@" + DOMAIN).build().toByteArray());
        for (String[] key : new String[][] {{"rsa", rsaKey.toString()}, {"ed", edKey.toString()}}) {
            Run r = run("respond", "--challenge", challenge.toString(), "--token-part2", T2,
                    "--account-thumbprint", TV1_THUMBPRINT, "--dkim-key", key[1], "--dkim-selector", key[0]);
            assertThat(r.exit()).as(r.err()).isZero();

            Dkimpy.Verification v = Dkimpy.verify(r.out().getBytes(StandardCharsets.UTF_8), dns.server());

            assertThat(v.ok()).as(key[0] + ": " + v.json()).isTrue();
            assertThat(v.s()).isEqualTo(key[0]);
        }
    }

    @Test
    void dkimCheckFindsTheMatchingRecords() {
        for (String[] key : new String[][] {{"rsa", rsaKey.toString()}, {"ed", edKey.toString()}}) {
            Run r = check(key[0], key[1]);
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(AcmeSmimeCli.EXIT_VALID);
            assertThat(r.out()).startsWith("dkim-record-ok: ").hasLineCount(1);
        }
    }

    @Test
    void dkimCheckTellsAMismatchAMissingAndAMalformedRecord() {
        Run mismatch = check("rsa", unpublishedKey.toString());
        assertThat(mismatch.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(mismatch.out()).startsWith("dkim-record-mismatch: ").contains("v=DKIM1; k=rsa; p=");

        Run edForRsa = check("ed", rsaKey.toString());
        assertThat(edForRsa.out()).startsWith("dkim-record-mismatch: ");

        Run missing = check("gone", rsaKey.toString());
        assertThat(missing.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(missing.out()).startsWith("dkim-record-missing: ");

        Run malformed = check("bad", rsaKey.toString());
        assertThat(malformed.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(malformed.out()).startsWith("dkim-record-malformed: ");
    }

    @Test
    void dkimCheckNeverPrintsThePrivateKey() throws IOException {
        String pem = Files.readString(rsaKey);
        String body = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
        Run r = check("rsa", rsaKey.toString());
        assertThat(r.out() + r.err()).doesNotContain(body.substring(100, 160));
    }

    private static Run check(String selector, String key) {
        return run("dkim-check", "--domain", DOMAIN, "--selector", selector, "--key", key,
                "--dns-server", dns.server());
    }
}
