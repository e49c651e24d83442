package dev.acmesmime.organisation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.Mailboxes;

/**
 * The DKIM signing keys of the organisation's domains: a folder of unencrypted PEM files (PKCS#8
 * or PKCS#1, RSA of at least {@value DkimSigner#MIN_KEY_BITS} bits, or PKCS#8 Ed25519, RFC 8463)
 * named {@code SELECTOR._domainkey.DOMAIN.pem}. Each file signs mail whose From is at DOMAIN with
 * {@code d=DOMAIN; s=SELECTOR} (D8). A domain has one key, or one RSA and one Ed25519 key under two
 * selectors: then each response carries both signatures, RSA first (RFC 8463 §4). Other files in
 * the folder are ignored.
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
     *                     not an RSA or Ed25519 PEM key, too short, two keys of one type for one domain)
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
        Map<String, KeyFile> rsa = new TreeMap<>();
        Map<String, KeyFile> ed25519 = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : (Iterable<Path>) list.sorted()::iterator) {
                Matcher m = FILE_NAME.matcher(file.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                String domain = m.group(2).toLowerCase(Locale.ROOT);
                KeyFile key = KeyFile.read(file, m.group(1));
                Map<String, KeyFile> same = DkimKeys.isEd25519(key.key()) ? ed25519 : rsa;
                KeyFile other = same.putIfAbsent(domain, key);
                if (other != null) {
                    throw new IOException("DKIM key directory " + directory + " holds two "
                            + (same == rsa ? "RSA" : "Ed25519") + " keys for " + domain + ": "
                            + other.file().getFileName() + " and " + file.getFileName() + "; keep one");
                }
            }
        }
        Map<String, DkimSigner> signers = new TreeMap<>();
        for (String domain : union(rsa.keySet(), ed25519.keySet())) {
            KeyFile first = rsa.getOrDefault(domain, ed25519.get(domain));
            KeyFile second = rsa.containsKey(domain) ? ed25519.get(domain) : null;
            DkimSigner.Builder b = DkimSigner.builder().privateKey(first.key()).selector(first.selector()).clock(clock);
            try {
                signers.put(domain, (second == null ? b : b.ed25519Key(second.key(), second.selector())).build());
            } catch (RuntimeException e) {
                throw new IOException("DKIM keys of " + domain + " in " + directory + " are not usable together: "
                        + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableMap(signers);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** A key file's key and the selector its name gives. */
    private record KeyFile(Path file, String selector, PrivateKey key) {

        static KeyFile read(Path file, String selector) throws IOException {
            try {
                PrivateKey key = DkimKeys.readPrivateKey(file);
                // the signer's own checks (RSA size), with the file named
                DkimSigner.builder().privateKey(key).selector(selector);
                return new KeyFile(file, selector, key);
            } catch (IOException | RuntimeException e) {
                throw new IOException("DKIM key " + file + " is not usable: " + e.getMessage(), e);
            }
        }
    }
}
