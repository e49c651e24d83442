package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import dev.acmesmime.testing.SecretScan.Place;
import dev.acmesmime.testing.SecretScan.Secret;

/**
 * Issue 14 §5 "Secrets" for a James process of either role: the secrets its configuration holds (the
 * master key James uses, every DKIM private key in a directory) and the places an administrator reads
 * or ships (HOME/log/, HOME/var/mail/ with the file:// mail repositories). The role's fixture adds what
 * only it knows (the forward secret, the audit export, token-part2 values) and runs
 * {@link dev.acmesmime.testing.SecretScan}.
 */
final class JamesSecrets {

    private JamesSecrets() {
    }

    /**
     * The master key file of {@code store.masterKeyFile} in {@code conf}'s acme-smime.properties (the
     * last line wins, as James reads it), relative to the James home; it must exist once James ran.
     */
    static Secret masterKey(Path conf, Path home) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(conf.resolve("acme-smime.properties"))) {
            props.load(r);
        }
        Path file = home.resolve(props.getProperty("store.masterKeyFile", "conf/acme-smime-master.key"));
        assertThat(file).as("the master key James uses").isRegularFile();
        return Secret.file("master key", file);
    }

    /** Every {@code *.pem} under {@code dir}, each as a DKIM private key. */
    static List<Secret> dkimKeys(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".pem"))
                    .map(f -> Secret.pem("DKIM key " + f.getFileName(), f)).toList();
        }
    }

    /** James's log files and the files of its on-disk mail repositories. */
    static List<Place> places(Path home) {
        List<Place> places = new ArrayList<>(Place.tree(home.resolve("log")));
        assertThat(places).as("James's log files").isNotEmpty();
        places.addAll(Place.tree(home.resolve("var/mail")));
        return places;
    }
}
