package dev.acmesmime.organisation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.Mailboxes;

/**
 * The DKIM signing keys of the organisation's domains: a folder of unencrypted PEM files (PKCS#8
 * or PKCS#1, RSA of at least {@value DkimSigner#MIN_KEY_BITS} bits) named
 * {@code SELECTOR._domainkey.DOMAIN.pem}. Each file signs mail whose From is at DOMAIN with
 * {@code d=DOMAIN; s=SELECTOR} (D8). Other files in the folder are ignored.
 * <p>
 * Every key is read and checked when the directory is opened, so a bad key stops start-up. A domain
 * with no key is looked up again on the next miss, so a key added later is found without a restart.
 * Keys never leave this class except inside a {@link DkimSigner}; they are never logged.
 */
public final class DkimKeyDirectory {

    /** {@code SELECTOR._domainkey.DOMAIN.pem}. */
    static final Pattern FILE_NAME = Pattern.compile("(?i)^([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\\._domainkey\\.(.+)\\.pem$");

    private final Path directory;
    private final Clock clock;
    private volatile Map<String, DkimSigner> signers;

    private DkimKeyDirectory(Path directory, Clock clock, Map<String, DkimSigner> signers) {
        this.directory = directory;
        this.clock = clock;
        this.signers = signers;
    }

    /**
     * Reads every key file of {@code directory}.
     *
     * @throws IOException naming the folder or the file that cannot be read or used (not a folder, unreadable,
     *                     not an RSA PEM key, too short, two keys for one domain)
     */
    public static DkimKeyDirectory open(Path directory, Clock clock) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(clock, "clock");
        return new DkimKeyDirectory(directory, clock, scan(directory, clock));
    }

    /** The folder. */
    public Path directory() {
        return directory;
    }

    /** The domains that have a key, lower case, sorted. */
    public Set<String> domains() {
        return signers.keySet();
    }

    /**
     * The signer of the responses of {@code mailbox}'s domain (D6–D9: {@code d=} is that domain).
     *
     * @throws ResponderException when the domain has no key or the folder cannot be read: a configuration
     *         problem, never a reason to drop the challenge, which stays answerable once the key is there
     */
    DkimSigner requireSignerFor(String mailbox) {
        String domain = Mailboxes.domainOf(mailbox);
        try {
            return signerFor(domain).orElseThrow(() -> new ResponderException("no DKIM key for " + domain
                    + " in " + directory + " (expected a file SELECTOR._domainkey." + domain + ".pem)"));
        } catch (IOException e) {
            throw new ResponderException("cannot read the DKIM key directory: " + e.getMessage(), e);
        }
    }

    /**
     * The signer for mail from {@code domain} (compared ignoring ASCII case), rescanning the folder once
     * when the domain has no key yet.
     *
     * @throws IOException when the rescan finds a bad file
     */
    public Optional<DkimSigner> signerFor(String domain) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        DkimSigner s = signers.get(d);
        if (s == null) {
            synchronized (this) {
                signers = scan(directory, clock);
                s = signers.get(d);
            }
        }
        return Optional.ofNullable(s);
    }

    private static Map<String, DkimSigner> scan(Path directory, Clock clock) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("DKIM key directory " + directory + " is not a readable folder");
        }
        Map<String, DkimSigner> found = new TreeMap<>();
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : (Iterable<Path>) list.sorted()::iterator) {
                Matcher m = FILE_NAME.matcher(file.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                String selector = m.group(1);
                String domain = m.group(2).toLowerCase(Locale.ROOT);
                if (files.containsKey(domain)) {
                    throw new IOException("DKIM key directory " + directory + " holds two keys for " + domain + ": "
                            + files.get(domain).getFileName() + " and " + file.getFileName() + "; keep one");
                }
                try {
                    found.put(domain, DkimSigner.builder().privateKey(file).selector(selector).clock(clock).build());
                } catch (IOException | RuntimeException e) {
                    throw new IOException("DKIM key " + file + " is not usable: " + e.getMessage(), e);
                }
                files.put(domain, file);
            }
        }
        return Collections.unmodifiableMap(found);
    }
}
