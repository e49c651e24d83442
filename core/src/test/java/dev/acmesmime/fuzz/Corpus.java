package dev.acmesmime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The seeds: every mail of core's test corpus ({@code *.eml} under {@code core/src/test/resources}, read from
 * the test classpath), then the campaign's validly signed challenge and response.
 */
final class Corpus {

    private Corpus() {
    }

    /** Every {@code .eml} of the test resources, sorted by path so that a seed's index is stable. */
    static List<byte[]> testMails() {
        try {
            Path root = Path.of(Corpus.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<byte[]> mails = new ArrayList<>();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
                    mails.add(Files.readAllBytes(p));
                }
            }
            if (mails.size() < 20) {
                throw new IllegalStateException("only " + mails.size() + " test mails under " + root);
            }
            return mails;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test mails and the signed ones. */
    static List<byte[]> all(SignedMails signed) {
        List<byte[]> all = new ArrayList<>(testMails());
        all.add(signed.challenge());
        all.add(signed.response());
        return List.copyOf(all);
    }
}
