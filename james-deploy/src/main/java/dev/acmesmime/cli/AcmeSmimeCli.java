package dev.acmesmime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.KeyAuthorizationInputs;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.StoreConfigurationException;

/**
 * {@code acme-smime}: the mail admin's tool for seeing exactly why a mail was or was not accepted,
 * and for computing the RFC 8823 digest and response by hand. It calls the same core code as the
 * mailets, so its verdicts are the ones James would reach.
 *
 * <pre>
 * acme-smime inspect FILE.eml [--as challenge|response] [--json] [--dns-server HOST:PORT]
 *                             [--expect-from ADDRESS] [--token-part2 T2 --account-thumbprint TP]
 *                             [--leniency OPTION[,OPTION...]] [--smime-trust PEM-FILE]
 * acme-smime digest  --token-part1 T1 --token-part2 T2 (--account-thumbprint TP | --account-jwk FILE)
 *                    [--leniency byte-concatenation]
 * acme-smime respond --challenge FILE.eml --token-part2 T2 (--account-thumbprint TP | --account-jwk FILE)
 *                    [--dkim-key PEM-FILE --dkim-selector SELECTOR] [--dns-server HOST:PORT]
 * acme-smime dkim-key   --domain D --selector S --out FILE [--key-type rsa2048|ed25519]
 * acme-smime dkim-check --domain D --selector S --key FILE [--dns-server HOST:PORT]
 * acme-smime store create-master-key FILE
 * </pre>
 * A passing check is printed by its check's name ({@code ok smime-signature: …}), a failed one by its
 * failure code ({@code FAIL smime-invalid: …}). {@code digest} refuses token parts and thumbprints that
 * break the rules of {@link KeyAuthorizationInputs} with the code and one line (exit 2). The DKIM
 * commands are {@link DkimCommands}'.
 * {@code store create-master-key} writes a new random master key (owner-only permissions, never
 * over an existing file) for a cluster: run it once, copy the file to every node, and set
 * {@code store.masterKeyFile} to it and {@code store.masterKeyFile.create=false} on each. It prints
 * the key's id, never the key.
 * Exit codes: 0 valid (or done), 1 invalid or not an ACME mail, 2 usage or I/O error.
 */
public final class AcmeSmimeCli {
    static final int EXIT_VALID = 0;
    static final int EXIT_INVALID = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE = String.join("\n",
            "usage:",
            "  acme-smime inspect FILE.eml [--as challenge|response] [--json] [--dns-server HOST:PORT]",
            "                              [--expect-from ADDRESS] [--token-part2 T2 --account-thumbprint TP]",
            "                              [--leniency OPTION[,OPTION...]] [--smime-trust PEM-FILE]",
            "  acme-smime digest  --token-part1 T1 --token-part2 T2 (--account-thumbprint TP | --account-jwk FILE)",
            "                     [--leniency byte-concatenation]",
            "  acme-smime respond --challenge FILE.eml --token-part2 T2 (--account-thumbprint TP | --account-jwk FILE)",
            "                     [--dkim-key PEM-FILE --dkim-selector SELECTOR] [--dns-server HOST:PORT]",
            "  acme-smime dkim-key   --domain D --selector S --out FILE [--key-type rsa2048|ed25519]",
            "  acme-smime dkim-check --domain D --selector S --key FILE [--dns-server HOST:PORT]",
            "  acme-smime store create-master-key FILE",
            "exit: 0 valid, 1 invalid or not an ACME mail, 2 usage or I/O error",
            "leniency options: missing-auto-submitted, byte-concatenation, subject-label-case");

    private final PrintStream out;
    private final PrintStream err;

    AcmeSmimeCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new AcmeSmimeCli(System.out, System.err).run(Arrays.asList(args));
        System.out.flush();
        System.exit(code);
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? EXIT_USAGE : EXIT_VALID;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "inspect":
                    return inspect(rest);
                case "digest":
                    return digest(rest);
                case "respond":
                    return respond(rest);
                case "dkim-key":
                    return new DkimCommands(out, err).dkimKey(rest);
                case "dkim-check":
                    return new DkimCommands(out, err).dkimCheck(rest);
                case "store":
                    return store(rest);
                default:
                    throw new CliArgs.UsageException("unknown command " + args.get(0));
            }
        } catch (CliArgs.UsageException e) {
            err.println("acme-smime: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        } catch (NoSuchFileException e) {
            err.println("acme-smime: no such file: " + e.getFile());
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("acme-smime: I/O error: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            // bad option values (an unparseable key, a malformed HOST:PORT, an unknown leniency)
            err.println("acme-smime: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private int store(List<String> argv) {
        CliArgs a = CliArgs.parse(argv, Set.of(), Set.of());
        if (a.positional().size() != 2 || !a.positional().get(0).equals("create-master-key")) {
            throw new CliArgs.UsageException("store takes: create-master-key FILE");
        }
        Path file = Path.of(a.positional().get(1));
        try {
            String keyId = CoreBridge.createMasterKey(file);
            out.println("created master key file " + file + " (key id " + keyId + "); copy it to every node and set"
                    + " store.masterKeyFile to it and store.masterKeyFile.create=false there");
            return EXIT_VALID;
        } catch (StoreConfigurationException e) {
            err.println("acme-smime: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private int inspect(List<String> argv) throws IOException {
        CliArgs a = CliArgs.parse(argv,
                Set.of("--as", "--dns-server", "--expect-from", "--token-part2", "--account-thumbprint",
                        "--account-jwk", "--leniency", "--smime-trust"),
                Set.of("--json"));
        if (a.positional().size() != 1) {
            throw new CliArgs.UsageException("inspect takes exactly one FILE.eml");
        }
        AcmeMailInspector inspector = inspector(a);
        byte[] raw = Files.readAllBytes(Path.of(a.positional().get(0)));
        Expectations.Builder e = Expectations.builder();
        a.option("--expect-from").ifPresent(e::expectedFrom);
        boolean part2 = a.option("--token-part2").isPresent();
        boolean tp = a.option("--account-thumbprint").isPresent() || a.option("--account-jwk").isPresent();
        if (part2 != tp) {
            throw new CliArgs.UsageException("--token-part2 and --account-thumbprint (or --account-jwk) go together");
        }
        if (part2) {
            e.tokenPart2(a.required("--token-part2")).accountThumbprint(thumbprint(a));
        }
        Expectations expectations = e.build();
        String as = a.option("--as").orElse("auto");
        Verdict verdict;
        switch (as) {
            case "challenge":
                verdict = inspector.inspectChallenge(raw, expectations);
                break;
            case "response":
                verdict = inspector.inspectResponse(raw, expectations);
                break;
            case "auto":
                verdict = inspector.inspect(raw, expectations);
                break;
            default:
                throw new CliArgs.UsageException("--as takes challenge or response, not " + as);
        }
        out.print(a.flag("--json") ? VerdictRenderer.json(verdict) + "\n" : VerdictRenderer.human(verdict));
        return verdict.valid() ? EXIT_VALID : EXIT_INVALID;
    }

    private int digest(List<String> argv) throws IOException {
        CliArgs a = CliArgs.parse(argv,
                Set.of("--token-part1", "--token-part2", "--account-thumbprint", "--account-jwk", "--leniency"),
                Set.of());
        if (!a.positional().isEmpty()) {
            throw new CliArgs.UsageException("digest takes no file");
        }
        boolean bytes = leniencies(a).contains(Leniency.BYTE_CONCATENATION);
        String part1 = a.required("--token-part1");
        String part2 = a.required("--token-part2");
        String thumbprint = thumbprint(a);
        Optional<KeyAuthorizationInputs.Problem> problem = KeyAuthorizationInputs.problem(part1, part2, thumbprint);
        if (problem.isPresent()) {
            err.println("acme-smime: " + problem.get().code().code() + ": " + problem.get().reason());
            return EXIT_USAGE;
        }
        out.println(CoreBridge.digest(part1, part2, thumbprint, bytes));
        return EXIT_VALID;
    }

    private int respond(List<String> argv) throws IOException {
        CliArgs a = CliArgs.parse(argv,
                Set.of("--challenge", "--token-part2", "--account-thumbprint", "--account-jwk",
                        "--dkim-key", "--dkim-selector", "--dns-server", "--leniency", "--smime-trust"),
                Set.of());
        if (!a.positional().isEmpty()) {
            throw new CliArgs.UsageException("respond takes its challenge as --challenge FILE.eml");
        }
        if (a.option("--dkim-key").isPresent() != a.option("--dkim-selector").isPresent()) {
            throw new CliArgs.UsageException("--dkim-key and --dkim-selector go together");
        }
        AcmeMailInspector inspector = inspector(a);
        byte[] challenge = Files.readAllBytes(Path.of(a.required("--challenge")));
        Verdict verdict = inspector.inspectChallenge(challenge, Expectations.NONE);
        if (!CoreBridge.answerable(verdict)) {
            err.println("acme-smime: the challenge is not answerable:");
            err.print(VerdictRenderer.human(verdict));
            return EXIT_INVALID;
        }
        byte[] response = CoreBridge.respond(verdict, a.required("--token-part2"), thumbprint(a),
                leniencies(a).contains(Leniency.BYTE_CONCATENATION),
                a.option("--dkim-key").map(Path::of).orElse(null), a.option("--dkim-selector").orElse(null));
        out.write(response);
        out.flush();
        return EXIT_VALID;
    }

    private AcmeMailInspector inspector(CliArgs a) throws IOException {
        AcmeMailInspector.Builder b = AcmeMailInspector.builder();
        leniencies(a).forEach(b::leniency);
        b.authenticity(CoreBridge.authenticity(CoreBridge.dnsServer(a.option("--dns-server").orElse(null)),
                a.option("--smime-trust").orElse(null)));
        return b.build();
    }

    private static Set<Leniency> leniencies(CliArgs a) {
        return Leniency.parseList(a.option("--leniency").orElse(null));
    }

    private static String thumbprint(CliArgs a) throws IOException {
        if (a.option("--account-thumbprint").isPresent() == a.option("--account-jwk").isPresent()) {
            throw new CliArgs.UsageException("give exactly one of --account-thumbprint and --account-jwk");
        }
        if (a.option("--account-thumbprint").isPresent()) {
            return a.required("--account-thumbprint");
        }
        String jwk = Files.readString(Path.of(a.required("--account-jwk")), StandardCharsets.UTF_8);
        return CoreBridge.thumbprintOfJwk(jwk);
    }
}
