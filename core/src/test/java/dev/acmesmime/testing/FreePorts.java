package dev.acmesmime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers a test starts later (James, dnsmasq, a mock): free at the time of asking,
 * and chosen below the kernel's ephemeral range.
 *
 * <p>Why not port 0: a port the kernel hands out for {@code bind(0)} comes from the same range as the
 * local ports of outgoing connections. Between the probe and the server's bind, which for a James
 * process is a JVM start (seconds on a loaded CI machine), any connection the test or James opens can
 * take it. A port below that range is never handed out by the kernel, so only another server
 * explicitly binding the same number could take it. This class also never hands out a number twice.
 */
public final class FreePorts {

    /** Where the search starts; below it are well-known and registered services. */
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A loopback port free for TCP. */
    public static int tcp() throws IOException {
        return find(true, false);
    }

    /** A loopback port free for UDP, e.g. a DNS server address that nothing answers on. */
    public static int udp() throws IOException {
        return find(false, true);
    }

    /** A loopback port free for TCP and UDP alike (dnsmasq binds both). */
    public static int tcpAndUdp() throws IOException {
        return find(true, true);
    }

    private static int find(boolean tcp, boolean udp) throws IOException {
        int highest = ephemeralLow() - 1;
        if (highest - LOWEST < 1_000) {
            return kernelChosen(tcp, udp); // a machine whose ephemeral range covers nearly everything
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            if (free(port, tcp, udp)) {
                return port;
            }
        }
        throw new IOException("no free loopback port found between " + LOWEST + " and " + highest);
    }

    /** The old way, with its race: a port the kernel picks, free for both protocols when asked. */
    private static int kernelChosen(boolean tcp, boolean udp) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket t = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = t.getLocalPort();
            }
            if (HANDED_OUT.add(port) && free(port, tcp, udp)) {
                return port;
            }
        }
        throw new IOException("no free loopback port found");
    }

    private static boolean free(int port, boolean tcp, boolean udp) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket t = tcp ? new ServerSocket(port, 1, loopback) : null;
             DatagramSocket u = udp ? new DatagramSocket(port, loopback) : null) {
            return true;
        } catch (BindException taken) {
            return false;
        }
    }

    /** The first port of Linux's ephemeral range; the IANA range's start where that is not readable. */
    private static int ephemeralLow() {
        // read as a stream: Files.readString trusts the size procfs reports and returned "3" here
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(r.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 49_152;
        }
    }
}
