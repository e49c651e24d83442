package dev.acmesmime.smime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERVisibleString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds an S/MIME signed RFC 8823 challenge by hand (test code): BC CMS for the signature, the
 * MIME written out literally so every byte is known.
 */
final class SignedChallenge {

    enum Shape { MULTIPART_SIGNED, OPAQUE }

    enum Protection { INNER_RFC822, RFC7508, BOTH, NONE }

    static final String FROM = "acme-generator@example.org";
    static final String TO = "alexey@example.com";
    static final String SUBJECT = "ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";

    private final TestPki pki;
    private TestPki.Identity signer;
    private Shape shape = Shape.MULTIPART_SIGNED;
    private Protection protection = Protection.INNER_RFC822;
    private String outerFrom = FROM;
    private String outerTo = TO;
    private String outerSubject = SUBJECT;
    private String protectedFrom = FROM;
    private String protectedTo = TO;
    private String protectedSubject = SUBJECT;
    private Instant signingTime = TestPki.NOW.minusSeconds(60);
    private boolean includeIntermediate = true;
    private String signatureAlgorithm;

    SignedChallenge(TestPki pki, TestPki.Identity signer) {
        this.pki = pki;
        this.signer = signer;
    }

    SignedChallenge shape(Shape s) {
        this.shape = s;
        return this;
    }

    SignedChallenge protection(Protection p) {
        this.protection = p;
        return this;
    }

    SignedChallenge outerSubject(String s) {
        this.outerSubject = s;
        return this;
    }

    SignedChallenge outerFrom(String s) {
        this.outerFrom = s;
        return this;
    }

    SignedChallenge protectedSubject(String s) {
        this.protectedSubject = s;
        return this;
    }

    SignedChallenge protectedTo(String s) {
        this.protectedTo = s;
        return this;
    }

    SignedChallenge signingTime(Instant t) {
        this.signingTime = t;
        return this;
    }

    /** Default: SHA256withECDSA or SHA256withRSA, after the signer's key. */
    SignedChallenge signatureAlgorithm(String alg) {
        this.signatureAlgorithm = alg;
        return this;
    }

    SignedChallenge withoutIntermediate() {
        this.includeIntermediate = false;
        return this;
    }

    /** The RFC 8823 Figure 1 challenge, signed. */
    byte[] build() throws Exception {
        String body = "This is an automatically generated ACME challenge for email address\r\n"
                + "\"alexey@example.com\".\r\n";
        String signedEntity;
        if (protection == Protection.INNER_RFC822 || protection == Protection.BOTH) {
            String inner = "From: " + protectedFrom + "\r\n"
                    + "To: " + protectedTo + "\r\n"
                    + "Subject: " + protectedSubject + "\r\n"
                    + "Auto-Submitted: auto-generated; type=acme\r\n"
                    + "Date: Sat, 5 Dec 2020 10:08:55 +0100\r\n"
                    + "Message-ID: <A2299BB.FF7788@example.org>\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "\r\n" + body;
            signedEntity = "Content-Type: message/rfc822\r\n\r\n" + inner;
        } else {
            signedEntity = "Content-Type: text/plain; charset=us-ascii\r\n"
                    + "Content-Transfer-Encoding: 7bit\r\n\r\n" + body;
        }
        byte[] content = signedEntity.getBytes(StandardCharsets.UTF_8);
        String outerHeaders = "Auto-Submitted: auto-generated; type=acme\r\n"
                + "Date: Sat, 5 Dec 2020 10:08:55 +0100\r\n"
                + "Message-ID: <A2299BB.FF7788@example.org>\r\n"
                + "From: " + outerFrom + "\r\n"
                + "To: " + outerTo + "\r\n"
                + "Subject: " + outerSubject + "\r\n"
                + "MIME-Version: 1.0\r\n";
        if (shape == Shape.MULTIPART_SIGNED) {
            byte[] sig = cms(content, false);
            String mail = outerHeaders
                    + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
                    + " micalg=sha-256; boundary=\"----=_Part_0_123\"\r\n"
                    + "\r\n"
                    + "This is an S/MIME signed message\r\n"
                    + "\r\n"
                    + "------=_Part_0_123\r\n"
                    + signedEntity
                    + "\r\n------=_Part_0_123\r\n"
                    + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "Content-Disposition: attachment; filename=smime.p7s\r\n"
                    + "\r\n"
                    + base64Lines(sig)
                    + "------=_Part_0_123--\r\n";
            return mail.getBytes(StandardCharsets.UTF_8);
        }
        byte[] sig = cms(content, true);
        String mail = outerHeaders
                + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=smime.p7m\r\n"
                + "\r\n"
                + base64Lines(sig);
        return mail.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] cms(byte[] content, boolean encapsulate) throws Exception {
        Hashtable<Object, Attribute> attrs = new Hashtable<>();
        attrs.put(CMSAttributes.signingTime, new Attribute(CMSAttributes.signingTime,
                new DERSet(new Time(Date.from(signingTime)))));
        if (protection == Protection.RFC7508 || protection == Protection.BOTH) {
            attrs.put(HeaderProtection.SECURE_HEADER_FIELDS, secureHeaders());
        }
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(TestPki.BC).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                .build(new JcaContentSignerBuilder(algorithm()).setProvider(TestPki.BC)
                        .build(signer.keys().getPrivate()), signer.cert()));
        List<java.security.cert.X509Certificate> certs = new ArrayList<>();
        certs.add(signer.cert());
        if (includeIntermediate) {
            certs.add(pki.intermediate.cert());
        }
        gen.addCertificates(new JcaCertStore(certs));
        CMSSignedData data = gen.generate(new CMSProcessableByteArray(content), encapsulate);
        return data.getEncoded();
    }

    private String algorithm() {
        if (signatureAlgorithm != null) {
            return signatureAlgorithm;
        }
        return signer.keys().getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** RFC 7508 SecureHeaderFields ::= SET { canonAlgorithm, secHeaderFields }. */
    private Attribute secureHeaders() {
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(field("From", protectedFrom));
        fields.add(field("To", protectedTo));
        fields.add(field("Subject", protectedSubject));
        ASN1EncodableVector shf = new ASN1EncodableVector();
        shf.add(new ASN1Enumerated(0)); // canonAlgorithmSimple
        shf.add(new DERSequence(fields));
        return new Attribute(HeaderProtection.SECURE_HEADER_FIELDS, new DERSet(new DERSet(shf)));
    }

    private static DERSequence field(String name, String value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERVisibleString(name));
        v.add(new DERUTF8String(value));
        v.add(new ASN1Integer(0)); // duplicated
        return new DERSequence(v);
    }

    static String base64Lines(byte[] data) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data) + "\r\n";
    }
}
