package dev.acmesmime.gateway;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * A mailbox's key and certificate chain as a PKCS#12 file for its user's mail clients (issue 16 §3, G10).
 * <p>
 * By default the key and the certificates are encrypted with AES-256-CBC under PBES2 with
 * PBKDF2-HMAC-SHA256 ({@value #ITERATIONS} iterations), and the file's MAC is HMAC-SHA256: what OpenSSL 3
 * writes by default, and what current Windows, macOS, Thunderbird and Outlook read. Asked for
 * {@code legacy}, it is what old clients need: the key under PBE-SHA1-3DES, the certificates under
 * PBE-SHA1-RC2-40 and a SHA-1 MAC (weak; OpenSSL 3 reads it only with {@code -legacy}).
 * <p>
 * The leaf and the key carry the mailbox as friendly name and the leaf's key identifier as local key id,
 * so clients pair them. The password is the caller's to wipe; nothing here logs or keeps it.
 */
public final class Pkcs12Export {
    /** PBKDF2 iterations of the default format (and of its MAC). */
    public static final int ITERATIONS = 100_000;
    /** The legacy format's iterations, as old clients expect them. */
    public static final int LEGACY_ITERATIONS = 2048;
    private static final Provider BC = new BouncyCastleProvider();

    /**
     * @param identity the key and chain to export, checked usable (G2) by the caller
     * @param password the file's password
     * @param legacy   3DES/RC2/SHA-1 instead of AES-256/PBKDF2/SHA-256
     * @return the DER-encoded PKCS#12 PFX
     */
    public byte[] export(SigningIdentity identity, char[] password, boolean legacy) {
        try {
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            DERBMPString friendlyName = new DERBMPString(identity.mailbox());
            var localKeyId = ids.createSubjectKeyIdentifier(identity.leaf().getPublicKey());
            PKCS12SafeBag[] certs = new PKCS12SafeBag[identity.chain().size()];
            for (int i = 0; i < certs.length; i++) {
                X509Certificate cert = identity.chain().get(i);
                PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(cert);
                if (i == 0) {
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, friendlyName);
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
                }
                certs[i] = bag.build();
            }
            PKCS12SafeBagBuilder key = new JcaPKCS12SafeBagBuilder(identity.key(), encryptor(legacy, false, password));
            key.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, friendlyName);
            key.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);

            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor(legacy, true, password), certs);
            pfx.addData(key.build());
            return pfx.build(mac(legacy), password).getEncoded(ASN1Encoding.DER);
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | IOException e) {
            throw new IllegalStateException("cannot build the PKCS#12 of " + identity.mailbox() + ": "
                    + e.getMessage(), e);
        }
    }

    private static OutputEncryptor encryptor(boolean legacy, boolean forCertificates, char[] password)
            throws OperatorCreationException {
        if (legacy) {
            return new JcePKCSPBEOutputEncryptorBuilder(forCertificates
                    ? PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC : PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                    .setProvider(BC).setIterationCount(LEGACY_ITERATIONS).build(password);
        }
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC).setProvider(BC)
                .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                .setIterationCount(ITERATIONS).build(password);
    }

    private static PKCS12MacCalculatorBuilder mac(boolean legacy) {
        return legacy
                ? new JcePKCS12MacCalculatorBuilder(OIWObjectIdentifiers.idSHA1).setProvider(BC)
                        .setIterationCount(LEGACY_ITERATIONS)
                : new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256).setProvider(BC)
                        .setIterationCount(ITERATIONS);
    }

    /** Wipes a password once the export is done (callers hold it as {@code char[]} for this). */
    public static void wipe(char[] password) {
        Arrays.fill(password, '\0');
    }
}
