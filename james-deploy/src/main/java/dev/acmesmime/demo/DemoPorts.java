package dev.acmesmime.demo;

import java.io.IOException;

/**
 * The loopback ports of one demo run, all free when it starts.
 *
 * @param dns          dnsmasq (UDP and TCP)
 * @param acme         the test CA's ACME port (HTTPS)
 * @param management   the test CA's management port ({@code /stats}, {@code /roots/0})
 * @param caSmtp       the CA-role James's SMTP port, where the test CA submits challenges and responses arrive
 * @param caImap       the CA-role James's IMAP port
 * @param caWebAdmin   the CA-role James's WebAdmin
 * @param orgSmtp      the organisation James's SMTP port, where challenges arrive
 * @param orgImap      the organisation James's IMAP port
 * @param orgWebAdmin  the organisation James's WebAdmin
 */
record DemoPorts(int dns, int acme, int management, int caSmtp, int caImap, int caWebAdmin, int orgSmtp, int orgImap,
                 int orgWebAdmin) {

    static DemoPorts free() throws IOException {
        int[] p = DemoKeys.freePorts(9);
        return new DemoPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
    }
}
