package dev.acmesmime.enrolment;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import dev.acmesmime.store.SecretBytes;

/**
 * Key pairs as the store keeps them: the private key's PKCS#8 DER, sealed by the store. The public key is
 * derived again when read (RSA from the CRT key, EC as d·G), so nothing but the private key is stored.
 */
public final class KeyCodec {
    private KeyCodec() {
    }

    public static SecretBytes encode(KeyPair key) {
        return SecretBytes.of(key.getPrivate().getEncoded());
    }

    public static KeyPair decode(SecretBytes stored) {
        byte[] der = stored.bytes();
        try {
            for (String algorithm : new String[] {"EC", "RSA"}) {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                PrivateKey key;
                try {
                    key = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException wrongAlgorithm) {
                    continue;
                }
                return new KeyPair(publicKey(factory, key), key);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot read a stored key", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        throw new IllegalStateException("a stored key is neither EC nor RSA PKCS#8");
    }

    private static PublicKey publicKey(KeyFactory factory, PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return factory.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        ECPrivateKey ec = (ECPrivateKey) key;
        ECParameterSpec params = ec.getParams();
        ECCurve curve = EC5Util.convertCurve(params.getCurve());
        org.bouncycastle.math.ec.ECPoint g = EC5Util.convertPoint(curve, params.getGenerator());
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(g, ec.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return factory.generatePublic(new ECPublicKeySpec(w, params));
    }
}
