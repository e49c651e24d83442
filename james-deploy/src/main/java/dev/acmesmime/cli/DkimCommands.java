package dev.acmesmime.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.Set;

import dev.acmesmime.dkim.DkimKeyGenerator;
import dev.acmesmime.dkim.DkimKeyGenerator.KeyType;
import dev.acmesmime.dkim.DkimKeyRecordCheck;
import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.dkim.DkimTxtRecord;

/**
 * {@code acme-smime dkim-key} and {@code dkim-check}: making the organisation's DKIM signing key and
 * checking its DNS record.
 * <p>
 * {@code dkim-key --domain D --selector S --out FILE [--key-type rsa2048|ed25519]} writes a new
 * unencrypted PEM PKCS#8 key to FILE (created with mode 600, never over an existing file) and prints
 * the TXT record to publish, its value as quoted strings of at most 255 characters. James signs with
 * it once it is in the responder's {@code dkimKeyDirectory} (conf/org: {@code HOME/var/dkim}) as
 * {@code S._domainkey.D.pem}, so FILE is best given that name there.
 * <p>
 * {@code dkim-check --domain D --selector S --key FILE [--dns-server HOST:PORT]} looks the record up
 * as James does and prints one line, {@code CODE: detail}: {@code dkim-record-ok} (exit 0), or
 * {@code dkim-record-missing}, {@code dkim-record-malformed}, {@code dkim-record-mismatch},
 * {@code dkim-temperror} (exit 1).
 */
final class DkimCommands {
    private final PrintStream out;
    private final PrintStream err;

    DkimCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int dkimKey(List<String> argv) throws IOException {
        CliArgs a = CliArgs.parse(argv, Set.of("--domain", "--selector", "--out", "--key-type"), Set.of());
        noPositional(a, "dkim-key");
        String domain = a.required("--domain");
        String selector = a.required("--selector");
        Path file = Path.of(a.required("--out"));
        KeyType type = KeyType.parse(a.option("--key-type").orElse(KeyType.RSA2048.option()));
        KeyPair pair = DkimKeyGenerator.generate(type);
        try {
            writeOwnerOnly(file, DkimKeyGenerator.pkcs8Pem(pair.getPrivate()));
        } catch (FileAlreadyExistsException e) {
            err.println("acme-smime: " + file + " exists; refusing to overwrite a key");
            return AcmeSmimeCli.EXIT_USAGE;
        }
        DkimTxtRecord record = DkimTxtRecord.of(selector, domain, pair.getPublic());
        out.println("wrote " + type.option() + " key " + file + " (mode 600); James signs with it as "
                + selector + "._domainkey." + domain + ".pem in its dkimKeyDirectory");
        out.println("publish this TXT record:");
        out.println(record.name() + ". IN TXT " + record.quotedStrings());
        return AcmeSmimeCli.EXIT_VALID;
    }

    int dkimCheck(List<String> argv) throws IOException {
        CliArgs a = CliArgs.parse(argv, Set.of("--domain", "--selector", "--key", "--dns-server"), Set.of());
        noPositional(a, "dkim-check");
        String domain = a.required("--domain");
        String selector = a.required("--selector");
        String server = CoreBridge.dnsServer(a.option("--dns-server").orElse(null));
        PrivateKey key = DkimKeys.readPrivateKey(Path.of(a.required("--key")));
        DkimKeyRecordCheck.Result r = DkimKeyRecordCheck.check(CoreBridge.resolver(server), selector, domain, key);
        out.println(r.code().code() + ": " + r.detail());
        return r.ok() ? AcmeSmimeCli.EXIT_VALID : AcmeSmimeCli.EXIT_INVALID;
    }

    private static void noPositional(CliArgs a, String command) {
        if (!a.positional().isEmpty()) {
            throw new CliArgs.UsageException(command + " takes options only, not " + a.positional().get(0));
        }
    }

    /** Creates {@code file} readable by its owner only before a byte of the key is in it. */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
