package dev.acmesmime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.MasterKey;
import dev.acmesmime.testing.SecretScan.Finding;
import dev.acmesmime.testing.SecretScan.Place;
import dev.acmesmime.testing.SecretScan.Secret;

/** The scan the end-to-end tests run after James: it must catch a planted secret, or their check proves nothing. */
class SecretScanTest {

    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";

    @TempDir
    Path dir;

    @Test
    void cleanPlacesPassAndThumbprintsAreNoSecret() throws Exception {
        SecretScan scan = scan();
        List<Place> places = List.of(Place.text("log", "INFO challenge answered, thumbprint "
                + "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ, key id 1234"));
        scan.check(places);
        assertThat(scan.findings(places)).isEmpty();
    }

    @Test
    void catchesEachKindAndNamesPlaceAndKindButNotTheSecret() throws Exception {
        Path masterKey = dir.resolve("master.key");
        MasterKey.create(masterKey);
        byte[] raw = Base64.getDecoder().decode(Files.readString(masterKey).strip());
        TestKeys dkim = TestKeys.generate(1024, dir, "dkim");
        String dkimLine = Files.readAllLines(dkim.pkcs8()).get(3);
        Path mail = Files.createDirectories(dir.resolve("var/mail/error")).resolve("m1.FileStreamStore");
        Files.writeString(mail, "Subject: x\r\n\r\nkey " + dkimLine + "\r\n");
        SecretScan scan = SecretScan.of(Secret.file("master key", masterKey), Secret.pem("DKIM key", dkim.pkcs8()),
                Secret.value("token-part2", TOKEN_PART2));

        List<Place> places = new ArrayList<>(Place.tree(dir.resolve("var/mail")));
        places.add(Place.text("log", "DEBUG sealing with " + HexFormat.of().formatHex(raw)));
        places.add(Place.text("audit export", "{\"detail\":\"" + TOKEN_PART2 + "\"}"));
        places.add(Place.text("other log", "WARN -----BEGIN EC PRIVATE KEY-----"));

        assertThat(scan.findings(places)).containsExactly(new Finding(mail.toString(), "DKIM key"),
                new Finding("log", "master key"), new Finding("audit export", "token-part2"),
                new Finding("other log", "private key marker"));
        assertThatThrownBy(() -> scan.check(places)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("master key in log").hasMessageContaining("token-part2 in audit export")
                .hasMessageContaining("DKIM key in " + mail).hasMessageNotContaining(TOKEN_PART2)
                .hasMessageNotContaining(dkimLine).hasMessageNotContaining(HexFormat.of().formatHex(raw));
    }

    @Test
    void theDkimKeyIsFoundAsOneLineBase64OfItsDer() throws Exception {
        TestKeys dkim = TestKeys.generate(1024, dir, "dkim");
        String der = Base64.getEncoder().encodeToString(dkim.pair().getPrivate().getEncoded());
        SecretScan scan = SecretScan.of(Secret.pem("DKIM key", dkim.pkcs8()));

        assertThat(scan.findings(List.of(Place.text("log", "key=" + der + " loaded"))))
                .containsExactly(new Finding("log", "DKIM key"));
    }

    @Test
    void aSecretTooShortToScanForIsRefused() {
        assertThatThrownBy(() -> Secret.value("token-part2", "abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token-part2");
    }

    private SecretScan scan() throws Exception {
        Path secret = Files.writeString(dir.resolve("forward.secret"), "a-forward-secret-of-some-length\n");
        return SecretScan.of(Secret.file("forward secret", secret), Secret.value("token-part2", TOKEN_PART2));
    }
}
