package dev.acmesmime.cli;

import static dev.acmesmime.cli.AcmeSmimeCliTest.T1;
import static dev.acmesmime.cli.AcmeSmimeCliTest.T2;
import static dev.acmesmime.cli.AcmeSmimeCliTest.TV1_THUMBPRINT;
import static dev.acmesmime.cli.AcmeSmimeCliTest.fixture;
import static dev.acmesmime.cli.AcmeSmimeCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.cli.AcmeSmimeCliTest.Run;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * The CLI's wording (issue 17): passing checks named by the check, {@code digest} refusing values no CA
 * computes a digest from, {@code --as response} on a challenge, {@code --dns-server} checked up front, and
 * the command summary in docs/operations.md in step with {@code --help}.
 */
class AcmeSmimeCliWordingTest {
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    static final Pattern LINE = Pattern.compile("(?m)^  (ok   |FAIL ) (\\S+): ");

    @Test
    void aPassingCheckIsNamedByItsCheck_aFailedOneByItsFailureCode() {
        Run r = run("inspect", fixture("fig1-challenge.eml"));

        assertThat(r.out()).containsPattern("(?m)^  ok    token-length: 256 bits$")
                .containsPattern("(?m)^  FAIL  dkim-none: ");
        Matcher m = LINE.matcher(r.out());
        int lines = 0;
        for (; m.find(); lines++) {
            String label = m.group(2);
            if (m.group(1).startsWith("ok")) {
                assertThat(FailureCode.values()).as(label).anyMatch(c -> c.check().equals(label));
                // a check may share its name with its code (from, body-format), never with another check's code
                FailureCode.fromCode(label).ifPresent(c -> assertThat(c.check()).as(label).isEqualTo(label));
            } else {
                assertThat(FailureCode.fromCode(label)).as(label).isPresent();
            }
        }
        assertThat(lines).isGreaterThan(5);
    }

    @Test
    void jsonCarriesEachChecksNameNextToItsCode() throws IOException {
        JsonNode checks = run("inspect", fixture("fig1-challenge.eml"), "--json").json().get("checks");

        assertThat(checks).anySatisfy(c -> {
            assertThat(c.get("code").asText()).isEqualTo("token-too-short");
            assertThat(c.get("check").asText()).isEqualTo("token-length");
            assertThat(c.get("ok").asBoolean()).isTrue();
        });
    }

    @Test
    void checkNamesAreStableKebabCaseAndDistinct() {
        assertThat(new TreeSet<>(List.of(FailureCode.values()).stream().map(FailureCode::check).toList()))
                .hasSize(FailureCode.values().length)
                .allMatch(n -> n.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(FailureCode.SMIME_INVALID.check()).isEqualTo("smime-signature");
    }

    @Test
    void theOperationsManualNamesEveryChecksCode() throws IOException {
        String manual = Files.readString(ROOT.resolve("docs/operations.md"), StandardCharsets.UTF_8);
        for (FailureCode c : FailureCode.values()) {
            assertThat(manual).contains("| `" + c.check() + "` | `" + c.code() + "` |");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "part2 too short | --token-part1 " + T1 + " | --token-part2 DGyRejmCefe7v4Nf | --account-thumbprint "
                + TV1_THUMBPRINT + " | token-too-short: token-part2 decodes to 12 octets (96 bits)",
        "part1 too short | --token-part1 LgYemJLy3F1L | --token-part2 " + T2 + " | --account-thumbprint "
                + TV1_THUMBPRINT + " | token-too-short: token-part1 decodes to 9 octets",
        "part1 not b64url | --token-part1 LgYemJLy3F1LDkiJrdIG+EzyFJyOyf6v/dyZ1TG3sME= | --token-part2 " + T2
                + " | --account-thumbprint " + TV1_THUMBPRINT + " | token-syntax: token-part1",
        "part2 not b64url | --token-part1 " + T1 + " | --token-part2 DGyRejmCefe7v4NfDGDKfA=== | --account-thumbprint "
                + TV1_THUMBPRINT + " | token-syntax: token-part2",
        "thumbprint short | --token-part1 " + T1 + " | --token-part2 " + T2
                + " | --account-thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9X | thumbprint-syntax: ",
        "thumbprint padded | --token-part1 " + T1 + " | --token-part2 " + T2
                + " | --account-thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs= | thumbprint-syntax: ",
    })
    void digestRefusesValuesThatBreakTheTokenAndThumbprintRules(String name, String p1, String p2, String tp,
                                                                 String expected) {
        List<String> args = new ArrayList<>(List.of("digest"));
        for (String option : List.of(p1, p2, tp)) {
            args.addAll(List.of(option.strip().split(" ")));
        }

        Run r = run(args.toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("acme-smime: " + expected.strip()).hasLineCount(1);
    }

    @Test
    void digestStillTakesThePaddedRfcTokenAndTheUnpaddedOne() {
        assertThat(run("digest", "--token-part1", T1, "--token-part2", T2, "--account-thumbprint", TV1_THUMBPRINT)
                .exit()).isZero();
        assertThat(run("digest", "--token-part1", T1.replace("=", ""), "--token-part2", T2,
                "--account-thumbprint", TV1_THUMBPRINT).exit()).isZero();
    }

    /**
     * A challenge has an {@code ACME:} Subject, which is also a response's Subject with no reply prefix
     * (R1, R2): read as a response it is one without its response block, {@code body-format} (R8, R9).
     * {@code not-acme} is for a mail with neither label nor block, and docs/rules.md says just that.
     */
    @Test
    void asResponseOnAChallengeIsBodyFormat_notAcmeOnlyWithoutLabelOrBlock(@TempDir Path tmp) throws IOException {
        Run challenge = run("inspect", fixture("fig1-challenge.eml"), "--as", "response", "--json");
        assertThat(challenge.json().get("kind").asText()).isEqualTo("response");
        assertThat(codes(challenge.json())).contains("body-format").doesNotContain("not-acme");

        Path hello = Files.writeString(tmp.resolve("hello.eml"),
                "From: a@example.com\r\nTo: b@example.com\r\nSubject: lunch?\r\n\r\nhi\r\n");
        assertThat(codes(run("inspect", hello.toString(), "--as", "response", "--json").json()))
                .containsExactly("not-acme");

        String rules = Files.readString(ROOT.resolve("docs/rules.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| `not-acme` \\|.*$").matcher(rules);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("--as response").contains("`body-format`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"notaport", "127.0.0.1:notaport", "127.0.0.1:99999", "127.0.0.1:0", "[::1]",
        "no-such-host.invalid:53", ":53"})
    void aBadDnsServerIsAOneLineUsageError(String server) {
        for (Run r : List.of(
                run("inspect", fixture("fig1-challenge.eml"), "--dns-server", server),
                run("respond", "--challenge", fixture("fig1-challenge.eml"), "--token-part2", T2,
                        "--account-thumbprint", TV1_THUMBPRINT, "--dns-server", server),
                run("dkim-check", "--domain", "example.test", "--selector", "s", "--key", "/nonexistent.pem",
                        "--dns-server", server))) {
            assertThat(r.exit()).as(r.err()).isEqualTo(AcmeSmimeCli.EXIT_USAGE);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("acme-smime: --dns-server").contains(server).hasLineCount(1);
        }
    }

    /** Every option of every command in {@code --help} is in docs/operations.md's command summary, and back. */
    @Test
    void theOperationsManualsCommandSummaryListsWhatHelpLists() throws IOException {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        String manual = Files.readString(ROOT.resolve("docs/operations.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("(?s)## Diagnostic CLI\\s+```\\n(.*?)```").matcher(manual);
        assertThat(block.find()).as("the command block of docs/operations.md").isTrue();

        Map<String, TreeSet<String>> fromHelp = options(help.out().replaceAll("(?m)^exit:.*|^leniency options:.*", ""),
                "acme-smime ");
        Map<String, TreeSet<String>> fromManual = options(block.group(1), "james-deploy/bin/acme-smime ");

        assertThat(fromHelp).containsKeys("inspect", "digest", "respond", "dkim-key", "dkim-check", "store");
        assertThat(fromManual).isEqualTo(fromHelp);
    }

    /** Options by command; a line that starts with a command opens it, indented lines continue it. */
    static Map<String, TreeSet<String>> options(String text, String prefix) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        TreeSet<String> current = null;
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith(prefix)) {
                String command = t.substring(prefix.length()).split("\\s+")[0];
                current = out.computeIfAbsent(command, c -> new TreeSet<>());
            }
            if (current != null) {
                Matcher m = Pattern.compile("--[a-z0-9-]+").matcher(t);
                while (m.find()) {
                    current.add(m.group());
                }
            }
        }
        return out;
    }

    private static List<String> codes(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.get("failures").forEach(n -> out.add(n.asText()));
        return out;
    }
}
