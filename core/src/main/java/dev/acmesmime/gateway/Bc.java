package dev.acmesmime.gateway;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The gateway's BouncyCastle provider: a private instance, never registered with
 * {@link java.security.Security}, so that James and other plugins see no global change.
 */
final class Bc {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
