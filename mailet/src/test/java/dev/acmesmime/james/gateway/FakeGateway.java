package dev.acmesmime.james.gateway;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.acmesmime.gateway.CertificateDirectory;
import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.CorrespondentCertificateStore;
import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayPolicies;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.RecipientCertificate;
import dev.acmesmime.gateway.SignPolicy;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.james.runtime.GatewayServices;
import dev.acmesmime.testing.RecordingMetrics;

/**
 * Hand-written fakes of the gateway's interfaces for the mailets' unit tests: a directory and
 * policies filled per test, a correspondent store that keeps what it is given, a mail repository that
 * keeps copies, and a mail context whose local domain is {@value #LOCAL_DOMAIN}.
 */
final class FakeGateway implements CertificateDirectory, GatewayPolicies, CorrespondentCertificateStore {
    static final String LOCAL_DOMAIN = "org.example";
    static final String ALICE = "alice@org.example";
    static final String BOB = "bob@org.example";
    static final String POSTMASTER = "postmaster@org.example";

    final FakeProtection protection = new FakeProtection();
    final RecordingMetrics metrics = new RecordingMetrics();
    final Map<String, SigningIdentity> identities = new HashMap<>();
    final Map<String, GatewayCode> identityProblems = new HashMap<>();
    final Map<String, RecipientCertificate> certificates = new HashMap<>();
    final Map<String, SignPolicy> signing = new HashMap<>();
    final Map<String, EncryptPolicy> encryption = new HashMap<>();
    final List<String> directoryAsked = new ArrayList<>();
    final List<CorrespondentCertificate> saved = new ArrayList<>();
    final List<Mail> stored = new ArrayList<>();
    final List<String> repositoryUrls = new ArrayList<>();
    final FakeMailContext context;
    final MailetContext localContext;
    private final KeyPair keys;
    private final X509Certificate certificate;
    boolean headerProtection;

    FakeGateway() throws Exception {
        context = FakeMailContext.builder().postmaster(new MailAddress(POSTMASTER)).build();
        localContext = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailetContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isLocalEmail")) {
                        return ((MailAddress) args[0]).getDomain().asString().equals(LOCAL_DOMAIN);
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        keys = g.generateKeyPair();
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=test"), BigInteger.ONE, Date.from(Instant.parse("2026-01-01T00:00:00Z")),
                Date.from(Instant.parse("2027-01-01T00:00:00Z")), new X500Name("CN=test"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    GatewayServices services() {
        return new GatewayServices(protection, this, this, this, headerProtection, metrics,
                Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC));
    }

    /** {@code mailbox} has a usable enrolled certificate: it can sign, decrypt and be encrypted to. */
    FakeGateway enrolled(String mailbox) {
        identities.put(mailbox, new SigningIdentity(mailbox, keys.getPrivate(), List.of(certificate)));
        return knows(mailbox);
    }

    /** A certificate is known for {@code address}. */
    FakeGateway knows(String address) {
        certificates.put(address, new RecipientCertificate(address, certificate, false));
        return this;
    }

    MailRepositoryStore repositories() {
        MailRepository repository = (MailRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("store")) {
                        Mail m = (Mail) args[0];
                        stored.add(MailCopy.of(m));
                        return MailKey.forMail(m);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (MailRepositoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepositoryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("select")) {
                        repositoryUrls.add(((MailRepositoryUrl) args[0]).asString());
                        return repository;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static MimeMessage message(String from, String to, String... extraHeaders) throws MessagingException {
        StringBuilder b = new StringBuilder("From: " + from + "\r\nTo: " + to + "\r\nSubject: quarterly figures\r\n"
                + "Date: Mon, 1 Jun 2026 12:00:00 +0000\r\nMessage-ID: <m1@org.example>\r\n");
        for (String h : extraHeaders) {
            b.append(h).append("\r\n");
        }
        b.append("MIME-Version: 1.0\r\n").append(FakeProtection.TEXT_TYPE).append("\r\n\r\nHello.\r\n");
        return new MimeMessage(Session.getDefaultInstance(new Properties()),
                new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    static FakeMail.Builder mail(MimeMessage message, String sender, String... recipients) throws MessagingException {
        return FakeMail.builder().name("m1").state("transport").mimeMessage(message).sender(sender).recipients(recipients);
    }

    @Override
    public Lookup<SigningIdentity> identity(String mailbox) {
        directoryAsked.add(mailbox);
        if (identityProblems.containsKey(mailbox)) {
            return Lookup.missing(identityProblems.get(mailbox), "certificate of " + mailbox + " is not usable");
        }
        SigningIdentity id = identities.get(mailbox);
        return id == null ? Lookup.missing(GatewayCode.NO_CERTIFICATE, "no issued certificate") : Lookup.found(id);
    }

    @Override
    public Lookup<RecipientCertificate> recipient(String address) {
        directoryAsked.add(address);
        RecipientCertificate c = certificates.get(address);
        return c == null ? Lookup.missing(GatewayCode.NO_RECIPIENT_CERTIFICATE, "none known") : Lookup.found(c);
    }

    @Override
    public SignPolicy signing(String mailbox) {
        return signing.getOrDefault(mailbox, SignPolicy.SIGN);
    }

    @Override
    public EncryptPolicy encryption(String recipient) {
        return encryption.getOrDefault(recipient, EncryptPolicy.OPPORTUNISTIC);
    }

    @Override
    public void save(CorrespondentCertificate c) {
        saved.add(c);
    }

    @Override
    public Optional<CorrespondentCertificate> current(String address, Instant now) {
        return saved.stream().filter(c -> c.address().equals(address)).findFirst();
    }

    @Override
    public List<CorrespondentCertificate> all(String address) {
        return saved.stream().filter(c -> c.address().equals(address)).toList();
    }

    @Override
    public int delete(String address) {
        int n = all(address).size();
        saved.removeIf(c -> c.address().equals(address));
        return n;
    }
}
