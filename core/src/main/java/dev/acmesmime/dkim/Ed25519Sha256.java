package dev.acmesmime.dkim;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;

import org.apache.james.jdkim.DKIMCommon;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.PublicKeyRecord;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.impl.BodyHasherImpl;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * {@code a=ed25519-sha256} (RFC 8463) on jDKIM 0.3, which knows RSA only: jDKIM still parses the
 * signature, selects and applies the key, and canonicalises header and body; only the last step
 * differs. jDKIM feeds the canonicalised header data to a {@link Signature}, which for RSA hashes
 * and signs it in one; RFC 8463 §3 signs the SHA-256 hash of that data with PureEdDSA, so here
 * jDKIM's own header code feeds a {@link HeaderDigest}; the JDK's Ed25519 signs the 32-octet hash
 * and BouncyCastle's (the 1.70 James ships) verifies it, several times faster.
 */
final class Ed25519Sha256 extends DKIMCommon {

    /** {@code a=} of RFC 8463 §3. */
    static final String ALGORITHM = "ed25519-sha256";

    private Ed25519Sha256() {
    }

    /**
     * Verifies one ed25519-sha256 DKIM-Signature field the way jDKIM verifies an RSA one: record
     * syntax, no {@code t=} in the future, key lookup and selection through {@code jdkim} (so its
     * retriever, cache and applicability checks), header signature, then body hash.
     *
     * @return the verified signature record
     * @throws FailException with jDKIM's wording where jDKIM has one
     */
    static SignatureRecord verify(DKIMVerifier jdkim, Headers headers, MailBytes mail, String field)
            throws FailException, IOException {
        SignatureRecord sign = jdkim.newSignatureRecord(field.substring(field.indexOf(':') + 1));
        try {
            sign.validate();
        } catch (IllegalStateException e) {
            throw new PermFailException("Invalid signature record: " + e.getMessage(), e);
        }
        Long t = sign.getSignatureTimestamp();
        if (t != null && t > System.currentTimeMillis() / 1000) {
            // jDKIM refuses any t= in the future, for RSA too
            throw new PermFailException("Signature date is " + (t - System.currentTimeMillis() / 1000)
                    + " seconds in the future.");
        }
        PublicKeyRecord key = jdkim.publicRecordLookup(sign);
        PublicKey publicKey = key.getPublicKey();
        if (!DkimKeys.isEd25519(publicKey)) {
            throw new PermFailException("the key record's key is not an Ed25519 key");
        }
        byte[] hash = headerHash(headers, sign);
        byte[] signature = sign.getSignature();
        // BouncyCastle's RFC 8032 verification, not the JDK's: on this machine the JDK 17's took
        // about 460 us per signature, four times BouncyCastle's, and more than the whole RSA path
        if (signature.length != Ed25519.SIGNATURE_SIZE
                || !Ed25519.verify(signature, 0, DkimKeys.rawEd25519(publicKey), 0, hash, 0, hash.length)) {
            throw new PermFailException("Header signature does not verify");
        }
        BodyHasherImpl body = new BodyHasherImpl(sign);
        // jDKIM's 2 KB copy loop: its simple canonicaliser depends slightly on where writes split
        streamCopy(mail.body(), body.getOutputStream());
        if (!Arrays.equals(body.getDigest(), sign.getBodyHash())) {
            throw new PermFailException("Computed bodyhash is different from the expected one");
        }
        return sign;
    }

    /**
     * Signs a template record whose body hash is set: {@code b=} is filled in.
     *
     * @return the signed record's field, one line, as jDKIM's signer writes it
     */
    static String sign(Headers headers, SignatureRecord record, PrivateKey key) throws PermFailException {
        byte[] hash = headerHash(headers, record);
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key);
            ed.update(hash);
            record.setSignature(ed.sign());
        } catch (GeneralSecurityException e) {
            throw new PermFailException("Ed25519 signing failed: " + e.getMessage(), e);
        }
        return "DKIM-Signature:" + record;
    }

    /** SHA-256 of the canonicalised header data, written by jDKIM's {@code signatureCheck}. */
    static byte[] headerHash(Headers headers, SignatureRecord record) throws PermFailException {
        HeaderDigest digest = new HeaderDigest();
        try {
            digest.initSign(null);
            signatureCheck(headers, record, record.getHeaders(), digest);
            return digest.sign();
        } catch (InvalidKeyException | SignatureException e) {
            throw new IllegalStateException("the digest adapter failed", e);
        }
    }

    /**
     * A {@link Signature} that only hashes: what jDKIM's header code writes to it goes into
     * SHA-256, and {@link #sign()} gives the hash. It needs no key and is never registered.
     */
    static final class HeaderDigest extends Signature {
        private final MessageDigest sha256;

        HeaderDigest() {
            super("SHA-256 of the DKIM header data");
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) {
            sha256.reset();
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) {
            sha256.reset();
        }

        @Override
        protected void engineUpdate(byte b) {
            sha256.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            sha256.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() {
            return sha256.digest();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) {
            throw new UnsupportedOperationException("a digest only");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException("no parameters");
        }
    }
}
