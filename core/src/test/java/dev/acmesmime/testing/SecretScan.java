package dev.acmesmime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks that no secret reached a place an administrator reads or ships elsewhere: James's log files,
 * an audit export, the mail repositories under {@code var/mail/}. Issue 14 §5 "Secrets": an end-to-end
 * test hands it the secrets its James holds (master key, forward HMAC secret or bearer token, DKIM
 * private keys, token-part2 values) and the places to look at; any secret found, or any
 * {@code PRIVATE KEY-----} marker, fails the test naming the place and the kind of secret, never the
 * secret itself (the failure message lands in CI logs too).
 * <p>
 * Account thumbprints are public (they are in every key authorization) and are not secrets here.
 * <pre>{@code
 * SecretScan.of(Secret.file("master key", masterKey), Secret.pem("DKIM key", pem))
 *         .check(Place.tree(home.resolve("log")), Place.text("audit export", export));
 * }</pre>
 */
public record SecretScan(List<Secret> secrets) {

    /** What a log line or a dumped private key begins or ends with, whatever key it is. */
    static final String PRIVATE_KEY_MARKER = "PRIVATE KEY-----";
    /** Shorter forms would match by chance in a long log; every secret we hold is longer. */
    static final int MIN_FORM_LENGTH = 16;

    /** A secret by its kind (printed on failure) and the textual forms it could appear in (never printed). */
    public record Secret(String kind, Set<String> forms) {
        public Secret {
            forms = Set.copyOf(forms);
            if (forms.isEmpty() || forms.stream().anyMatch(f -> f.length() < MIN_FORM_LENGTH)) {
                throw new IllegalArgumentException(kind + ": a secret needs forms of at least "
                        + MIN_FORM_LENGTH + " characters");
            }
        }

        /** A secret given as text (a token-part2, a bearer token). */
        public static Secret value(String kind, String value) {
            return new Secret(kind, Set.of(value.strip()));
        }

        /**
         * A key file (master key, forward secret): its text, and the bytes its text decodes to when it is
         * base64, as base64, base64url and hex, which is how a careless log would print them.
         */
        public static Secret file(String kind, Path file) {
            String text = read(file).strip();
            Set<String> forms = new LinkedHashSet<>();
            forms.add(text);
            decodeBase64(text).ifPresent(raw -> forms.addAll(encodings(raw)));
            return new Secret(kind, forms);
        }

        /**
         * A PEM private key: the base64 of its DER on one line and each line of the PEM body (a log could
         * hold either); the last body line is skipped when short.
         */
        public static Secret pem(String kind, Path pem) {
            List<String> body = read(pem).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("-----")).toList();
            Set<String> forms = new LinkedHashSet<>();
            forms.add(String.join("", body));
            body.stream().filter(l -> l.length() >= MIN_FORM_LENGTH).forEach(forms::add);
            return new Secret(kind, forms);
        }

        private static List<String> encodings(byte[] raw) {
            return List.of(Base64.getEncoder().encodeToString(raw), Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(raw), HexFormat.of().formatHex(raw), new String(raw, StandardCharsets.ISO_8859_1));
        }

        private static Optional<byte[]> decodeBase64(String text) {
            try {
                byte[] raw = Base64.getDecoder().decode(text);
                return raw.length >= MIN_FORM_LENGTH ? Optional.of(raw) : Optional.empty();
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
    }

    /** Where to look: a name for the failure message and the content (bytes read as ISO-8859-1). */
    public record Place(String name, String content) {

        public static Place text(String name, String content) {
            return new Place(name, content);
        }

        /** One place per regular file under {@code dir} (none when it does not exist). */
        public static List<Place> tree(Path dir) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).map(f -> new Place(f.toString(), read(f))).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A secret of {@code kind} found in {@code place}. */
    public record Finding(String place, String kind) {
        @Override
        public String toString() {
            return kind + " in " + place;
        }
    }

    public static SecretScan of(Secret... secrets) {
        return new SecretScan(List.of(secrets));
    }

    public SecretScan {
        secrets = List.copyOf(secrets);
    }

    /** This scan with one more secret. */
    public SecretScan and(Secret secret) {
        List<Secret> more = new ArrayList<>(secrets);
        more.add(secret);
        return new SecretScan(more);
    }

    /** What was found, in the order of the places; empty when clean. */
    public List<Finding> findings(List<Place> places) {
        List<Finding> out = new ArrayList<>();
        for (Place p : places) {
            for (Secret s : secrets) {
                if (s.forms().stream().anyMatch(p.content()::contains)) {
                    out.add(new Finding(p.name(), s.kind()));
                }
            }
            if (p.content().contains(PRIVATE_KEY_MARKER)) {
                out.add(new Finding(p.name(), "private key marker"));
            }
        }
        return out;
    }

    /** Throws an {@link AssertionError} listing the findings (kinds and places only) unless there is none. */
    public void check(List<Place> places) {
        List<Finding> found = findings(places);
        if (!found.isEmpty()) {
            throw new AssertionError("secrets found in " + places.size() + " places scanned: " + found);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
