package dev.acmesmime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The CLI contract the acceptance checks drive: outputs, JSON fields and exit codes. */
class AcmeSmimeCliTest {
    static final Path FIXTURES = Path.of(System.getProperty("basedir", "."))
            .resolve("../core/src/test/resources/rfc8823").normalize();
    static final String T1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=";
    static final String T2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String TV1_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    static final String TV4_JWK = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"27Z2spNnDcdfd-LSXjIAblFX-fCXimg85H7TfEe-"
            + "1BJ50tfUJKAMLoKGQMnh-pw0xfwsYJKCymPV3RvyApAO7Q\"}";

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new AcmeSmimeCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String fixture(String name) {
        return FIXTURES.resolve(name).toString();
    }

    @Test
    void storeCreateMasterKey_writesAKeyTheStoreLoads_printsOnlyItsId_andNeverOverwrites(@TempDir Path tmp)
            throws IOException {
        Path file = tmp.resolve("cluster/master.key");

        Run r = run("store", "create-master-key", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        String keyText = Files.readString(file).trim();
        assertThat(dev.acmesmime.store.MasterKey.load(file).keyIdHex()).isNotEmpty();
        assertThat(r.out()).contains("key id " + dev.acmesmime.store.MasterKey.load(file).keyIdHex())
                .doesNotContain(keyText);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        Run again = run("store", "create-master-key", file.toString());
        assertThat(again.exit()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
        assertThat(again.err()).contains("store.masterKeyFile").contains("refusing to overwrite");
        assertThat(Files.readString(file).trim()).isEqualTo(keyText);

        assertThat(run("store", "rotate").exit()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
    }

    @Test
    void tv3_digestPrintsOnlyTheDerivedVector() {
        Run r = run("digest", "--token-part1", T1, "--token-part2", T2, "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("ZEzZgc9aJoD_n58jPgRZT72bYhm3xgODx3XMbYEeaBo\n");
    }

    @Test
    void tv4_digestFromAccountJwkFileMatchesAcme4j(@TempDir Path tmp) throws IOException {
        Path jwk = Files.writeString(tmp.resolve("account.jwk"), TV4_JWK);
        Run r = run("digest", "--token-part1", T1, "--token-part2", T2, "--account-jwk", jwk.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("AjXW0h9_4YMP6Sv-9tKQNUrapI0us7ayBn0nCGOkUsk\n");
    }

    @Test
    void tv3_strippedPaddingGivesTheNegativeVector() {
        Run r = run("digest", "--token-part1", T1.replace("=", ""), "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(r.out().trim()).isEqualTo("oqRgcdn5jIDrdckMC7owMFH3UoxuDcTUPaTHapj0tfs");
    }

    @Test
    void fig1_inspectFindsAChallengeWhoseOnlyFailureIsTheMissingSignature() throws IOException {
        Run r = run("inspect", fixture("fig1-challenge.eml"), "--json");
        assertThat(r.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        JsonNode j = r.json();
        assertThat(j.get("kind").asText()).isEqualTo("challenge");
        assertThat(j.get("verdict").asText()).isEqualTo("invalid");
        assertThat(codes(j.get("failures"))).containsExactly("dkim-none");
        assertThat(j.get("tokenPart1").asText()).isEqualTo(T1);
        assertThat(j.get("from").asText()).isEqualTo("acme-generator@example.org");
        assertThat(j.get("to").asText()).isEqualTo("alexey@example.com");
        assertThat(j.get("messageId").asText()).isEqualTo("<A2299BB.FF7788@example.org>");
        assertThat(j.get("checks")).allSatisfy(c -> {
            assertThat(c.has("code")).isTrue();
            assertThat(c.has("ok")).isTrue();
            assertThat(c.get("detail").asText()).isNotBlank();
            assertThat(c.get("rules").asText()).isNotBlank();
        });
        assertThat(j.get("checks")).anySatisfy(c -> {
            assertThat(c.get("code").asText()).isEqualTo("dkim-none");
            assertThat(c.get("ok").asBoolean()).isFalse();
            assertThat(c.get("rules").asText()).isEqualTo("C15, R15");
        });
    }

    @Test
    void fig1_humanOutputHasOneLinePerCheckWithCodeAndReason() {
        Run r = run("inspect", fixture("fig1-challenge.eml"));
        assertThat(r.out()).contains("kind:    challenge").contains("verdict: invalid (dkim-none)");
        assertThat(r.out()).containsPattern("(?m)^  FAIL  dkim-none: .+$");
        assertThat(r.out()).containsPattern("(?m)^  ok    subject-syntax: .+$");
    }

    @Test
    void fig2_inspectReadsTheFoldedPaddedDigestOfAReply() throws IOException {
        Run r = run("inspect", fixture("fig2-response.eml"), "--as", "response", "--json");
        JsonNode j = r.json();
        assertThat(j.get("kind").asText()).isEqualTo("response");
        assertThat(j.get("digest").asText()).isEqualTo("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0=");
        assertThat(j.get("tokenPart1").asText()).isEqualTo(T1);
        assertThat(codes(j.get("failures"))).containsExactly("dkim-none");
    }

    @Test
    void fig2_digestCheckAgainstTv3ValuesIsAMismatch() throws IOException {
        Run r = run("inspect", fixture("fig2-response.eml"), "--json",
                "--token-part2", T2, "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(codes(r.json().get("failures"))).contains("digest-mismatch");
    }

    @Test
    void tv5_foldedQEncodedSubjectGivesTv2TokenAndReplyTo() throws IOException {
        Run r = run("inspect", fixture("tv5-challenge-folded-q-subject.eml"), "--json");
        JsonNode j = r.json();
        assertThat(j.get("kind").asText()).isEqualTo("challenge");
        assertThat(j.get("tokenPart1").asText()).isEqualTo(T1);
        assertThat(j.get("to").asText()).isEqualTo("alexey@example.com");
        assertThat(j.get("replyTo").asText()).isEqualTo("acme-validator@example.org");
        assertThat(codes(j.get("failures"))).containsExactly("dkim-none");
    }

    @Test
    void c9_expectFromMismatchIsUnexpectedSender() throws IOException {
        Run r = run("inspect", fixture("fig1-challenge.eml"), "--json", "--expect-from", "ca@elsewhere.example");
        assertThat(codes(r.json().get("failures"))).contains("unexpected-sender");
    }

    @Test
    void respond_buildsAResponseWhoseDigestTheInspectorAccepts(@TempDir Path tmp) throws IOException {
        Run r = run("respond", "--challenge", fixture("tv5-challenge-folded-q-subject.eml"),
                "--token-part2", T2, "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("To: acme-validator@example.org\r\n")
                .contains("Subject: Re: ACME: " + T1 + "\r\n")
                .contains("-----BEGIN ACME RESPONSE-----\r\nZEzZgc9aJoD_n58jPgRZT72bYhm3xgODx3XMbYEeaBo\r\n");
        Path response = Files.writeString(tmp.resolve("response.eml"), r.out());
        Run check = run("inspect", response.toString(), "--json", "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(check.json().get("kind").asText()).isEqualTo("response");
        assertThat(codes(check.json().get("failures"))).containsExactly("dkim-none");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
        assertThat(run("inspect", fixture("fig1-challenge.eml"), "--bogus").exit()).isEqualTo(2);
        assertThat(run("inspect", fixture("fig1-challenge.eml"), "--as", "letter").exit()).isEqualTo(2);
        assertThat(run("inspect", "/nonexistent/mail.eml").exit()).isEqualTo(2);
        assertThat(run("digest", "--token-part1", T1, "--token-part2", T2).exit()).isEqualTo(2);
        assertThat(run("inspect", fixture("fig1-challenge.eml"), "--leniency", "anything-goes").exit()).isEqualTo(2);
    }

    @Test
    void smimeTrustTakesTheMailetsSpellingNoneForDkimAlone() throws IOException {
        Run r = run("inspect", fixture("fig1-challenge.eml"), "--json", "--smime-trust", "none");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(codes(r.json().get("failures"))).containsExactly("dkim-none");
        assertThat(run("inspect", fixture("fig1-challenge.eml"), "--smime-trust", "/nonexistent/anchors.pem").exit())
                .isEqualTo(2);
    }

    @Test
    void notAnAcmeMailExitsWithOne(@TempDir Path tmp) throws IOException {
        Path mail = Files.writeString(tmp.resolve("hello.eml"),
                "From: a@example.com\r\nTo: b@example.com\r\nSubject: lunch?\r\n\r\nhi\r\n");
        Run r = run("inspect", mail.toString(), "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().get("kind").asText()).isEqualTo("other");
    }

    private static List<String> codes(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
