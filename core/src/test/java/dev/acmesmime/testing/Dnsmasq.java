package dev.acmesmime.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real dnsmasq on a free loopback port serving DKIM key (TXT) and CAA records, for as long as the test
 * needs it. Names under the given local domains that have no record get NXDOMAIN (dnsmasq's
 * {@code --local}); other names get REFUSED, as there is no upstream.
 */
public final class Dnsmasq implements AutoCloseable {

    private volatile Process process;
    private final int port;
    private final Path log;
    private final Builder builder;

    private Dnsmasq(Process process, int port, Path log, Builder builder) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.builder = builder;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, the CLI's {@code --dns-server} form. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the server (idempotent), e.g. to make the next query fail. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends a DNS outage made with {@link #stop()}: starts dnsmasq again on the same port with the
     * same records (the port may still be held for a moment, so a busy port is tried again).
     */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            process = builder.launch(port, log);
            try {
                awaitReady();
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw last;
    }

    public static final class Builder {
        private final Map<String, String> txt = new LinkedHashMap<>();
        private final List<String> rawRecords = new ArrayList<>();
        private final Set<String> localDomains = new LinkedHashSet<>(List.of("test"));
        private int ttl;

        /** A TXT record; values over 255 octets are split into several strings of one record. */
        public Builder txt(String name, String value) {
            txt.put(name, value);
            return this;
        }

        public Builder key(String selector, String domain, String keyRecord) {
            return txt(selector + "._domainkey." + domain, keyRecord);
        }

        /**
         * A CAA record (RFC 8659 §4.1, type 257), served with dnsmasq's {@code --dns-rr}; several for one
         * name make one RRset.
         */
        public Builder caa(String name, int flags, String tag, String value) {
            byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            StringBuilder hex = new StringBuilder(String.format("%02x%02x", flags, t.length));
            for (byte b : t) {
                hex.append(String.format("%02x", b));
            }
            for (byte b : v) {
                hex.append(String.format("%02x", b));
            }
            rawRecords.add(name + ",257," + hex);
            return this;
        }

        /** TTL of the served records (dnsmasq's --local-ttl); 0 by default. */
        public Builder ttl(int seconds) {
            this.ttl = seconds;
            return this;
        }

        /**
         * Starts dnsmasq on a free loopback port. Another process may take the port between the
         * probe and dnsmasq's bind, so a start that fails with "Address already in use" is tried
         * again on another port.
         */
        public Dnsmasq start() throws IOException, InterruptedException {
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    return startOn(FreePorts.tcpAndUdp());
                } catch (IOException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                        throw e;
                    }
                    last = e;
                }
            }
            throw last;
        }

        private Dnsmasq startOn(int port) throws IOException, InterruptedException {
            Path log = Files.createTempFile("dnsmasq", ".log");
            Dnsmasq d = new Dnsmasq(launch(port, log), port, log, this);
            d.awaitReady();
            return d;
        }

        private Process launch(int port, Path log) throws IOException {
            // /usr/sbin is often not on a non-root user's PATH
            String exe = Files.isExecutable(Path.of("/usr/sbin/dnsmasq")) ? "/usr/sbin/dnsmasq" : "dnsmasq";
            List<String> cmd = new ArrayList<>(List.of(exe, "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                    "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--pid-file=",
                    "--local-ttl=" + ttl));
            for (String d : localDomains) {
                cmd.add("--local=/" + d + "/");
            }
            for (Map.Entry<String, String> e : txt.entrySet()) {
                cmd.add("--txt-record=" + e.getKey() + "," + strings(e.getValue()));
            }
            for (String rr : rawRecords) {
                cmd.add("--dns-rr=" + rr);
            }
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        /**
         * dnsmasq's list of character-strings, each at most 255 octets. On the command line (no
         * shell) quotes would be kept literally, and a comma always separates strings.
         */
        private static String strings(String value) {
            if (value.indexOf(',') >= 0) {
                throw new IllegalArgumentException("dnsmasq cannot serve a TXT string containing ','");
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < value.length(); i += 255) {
                parts.add(value.substring(i, Math.min(value.length(), i + 255)));
            }
            return String.join(",", parts);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        r.setTimeout(Duration.ofMillis(200));
        Message q = Message.newQuery(Record.newRecord(Name.fromString("ready.test."), Type.TXT, DClass.IN));
        // dnsmasq is up in milliseconds when idle; a loaded CI machine gets a generous deadline
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dnsmasq exited: " + Files.readString(log));
            }
            try {
                r.send(q);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("dnsmasq did not answer on port " + port + ": " + Files.readString(log));
    }
}
