package dev.acmesmime.fuzz;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The forgery oracle: whether Debian's dkimpy (python3-dkim), which shares no code with jDKIM, verifies at
 * least one DKIM signature of a mail with the campaign's keys. One Python process answers every question
 * of a run ({@code dkim_oracle.py}), so asking costs about a millisecond; the targets ask only about mails
 * the plugin accepted, which are few.
 */
final class DkimpyOracle implements AutoCloseable {

    private final Process process;
    private final DataOutputStream toOracle;
    private final InputStream fromOracle;

    /** Starts the oracle with {@code records}: TXT record values by {@code <selector>._domainkey.<domain>}. */
    DkimpyOracle(Map<String, String> records) {
        try {
            Path script = Files.createTempFile("dkim_oracle", ".py");
            script.toFile().deleteOnExit();
            try (InputStream in = DkimpyOracle.class.getResourceAsStream("dkim_oracle.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
            records.forEach((name, value) -> cmd.add(name + "=" + value));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("dkimpy oracle not started (is python3-dkim installed?)", e);
        }
        toOracle = new DataOutputStream(process.getOutputStream());
        fromOracle = process.getInputStream();
    }

    /** True when dkimpy verifies at least one of the mail's signatures. */
    synchronized boolean verifies(byte[] mail) {
        try {
            toOracle.writeInt(mail.length);
            toOracle.write(mail);
            toOracle.flush();
            int answer = fromOracle.read();
            if (answer != '1' && answer != '0') {
                throw new IOException("dkimpy oracle answered " + answer);
            }
            return answer == '1';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
