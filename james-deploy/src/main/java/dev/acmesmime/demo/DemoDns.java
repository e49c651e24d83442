package dev.acmesmime.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dnsmasq on a loopback port, serving the DKIM key records of ca.test and org.test as TXT records (a
 * record over 255 octets split into several strings, as in a zone file). Names under {@code .test} without
 * a record get NXDOMAIN; nothing is asked upstream. Needs Debian's {@code dnsmasq-base}.
 */
final class DemoDns {

    static final String INSTALL = "sudo apt-get install -y dnsmasq-base";
    private static final String SBIN = "/usr/sbin/dnsmasq";

    private DemoDns() {
    }

    /** The dnsmasq binary: /usr/sbin is often not on a user's PATH. */
    static String binary() throws DemoFailure {
        if (Files.isExecutable(Path.of(SBIN))) {
            return SBIN;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dnsmasq"))) {
                return Path.of(dir, "dnsmasq").toString();
            }
        }
        throw new DemoFailure("start dnsmasq", "dnsmasq is not installed; install it with: " + INSTALL);
    }

    /** Starts dnsmasq on {@code port} with {@code records} (name → TXT value) and waits until it answers. */
    static void start(DemoProcesses processes, int port, Map<String, String> records, Path log)
            throws IOException, InterruptedException, DemoFailure {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--pid-file=",
                "--local-ttl=0", "--local=/test/"));
        records.forEach((name, value) -> cmd.add("--txt-record=" + name + "," + strings(value)));
        Process p = processes.launch("dnsmasq", cmd, log);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new DemoFailure("start dnsmasq", "dnsmasq exited: " + Files.readString(log).strip());
            }
            if (answers(port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new DemoFailure("start dnsmasq", "dnsmasq did not answer on 127.0.0.1:" + port + " within 20 s");
    }

    /** dnsmasq's list of character-strings, each at most 255 octets, comma-separated. */
    private static String strings(String value) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            parts.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return String.join(",", parts);
    }

    /** Whether a TXT query for ready.test gets any answer (NXDOMAIN is one). */
    private static boolean answers(int port) throws IOException {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // id, RD, one question
        for (String label : "ready.test".split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.writeBytes(new byte[] {0, 0, 16, 0, 1}); // root, TXT, IN
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            byte[] query = q.toByteArray();
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            s.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (SocketTimeoutException | PortUnreachableException notYet) {
            return false;
        }
    }
}
