package dev.acmesmime.testca.pki;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.testca.TestCaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * RFC 9495: the CAA {@code issuemail} property of the mailbox's domain must name this CA
 * ({@code caa.identity}) when the domain has any issuemail record. Off unless {@code caa.check=true}.
 *
 * <p>The relevant RRset is found by RFC 8659 §3 tree climbing: the CAA records of the address's domain, else
 * of its parent, and so on up to (not including) the root. {@code caa.dnsServer} ({@code host:port}, port 53
 * by default) is the server asked; empty means the system's resolver. A lookup that fails (timeout,
 * SERVFAIL, REFUSED) refuses issuance: this check fails closed, as RFC 8659 §3 asks of a CA.
 */
public final class CaaCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CaaCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TestCaSettings.Caa settings;

    public CaaCheck(TestCaSettings.Caa settings) {
        this.settings = settings;
    }

    /** Empty when issuance for this address is allowed; otherwise the one-line reason (caa problem). */
    public Optional<String> refusal(String emailAddress) {
        if (!settings.check()) {
            return Optional.empty();
        }
        String domain = Addresses.domainOf(emailAddress);
        if (domain.isEmpty()) {
            return Optional.of("CAA: " + emailAddress + " has no domain");
        }
        try {
            Name name = Name.fromString(Addresses.aLabel(domain).orElse(domain.toLowerCase(Locale.ROOT)), Name.root);
            Resolver resolver = resolver();
            while (name.labels() > 1) {
                List<CAARecord> rrset = lookup(resolver, name);
                if (!rrset.isEmpty()) {
                    Optional<String> refusal = IssuemailPolicy.refusal(rrset, name.toString(true), settings.identity());
                    LOG.info("caa address={} at={} records={} verdict={}", emailAddress, name, rrset.size(),
                            refusal.isEmpty() ? "allowed" : "refused");
                    return refusal;
                }
                name = new Name(name, 1);
            }
            LOG.info("caa address={} no CAA records: allowed", emailAddress);
            return Optional.empty();
        } catch (IOException e) {
            LOG.info("caa address={} lookup failed: {}", emailAddress, e.getMessage());
            return Optional.of("CAA lookup failed: " + e.getMessage());
        }
    }

    /** The CAA records at {@code name}; empty for NOERROR without them and for NXDOMAIN (then climb). */
    private static List<CAARecord> lookup(Resolver resolver, Name name) throws IOException {
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.CAA, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new IOException(Rcode.string(rcode) + " for " + name);
        }
        return response.getSection(Section.ANSWER).stream().filter(CAARecord.class::isInstance)
                .map(CAARecord.class::cast).toList();
    }

    private Resolver resolver() throws IOException {
        SimpleResolver resolver;
        if (settings.dnsServer().isPresent()) {
            String server = settings.dnsServer().get();
            int colon = server.lastIndexOf(':');
            boolean hasPort = colon > 0 && server.indexOf(':') == colon;
            try {
                resolver = new SimpleResolver(new InetSocketAddress(hasPort ? server.substring(0, colon) : server,
                        hasPort ? Integer.parseInt(server.substring(colon + 1)) : 53));
            } catch (IllegalArgumentException e) {
                throw new IOException("caa.dnsServer is not host:port: " + server);
            }
        } else {
            resolver = new SimpleResolver();
        }
        resolver.setTimeout(TIMEOUT);
        return resolver;
    }
}
