package dev.acmesmime.gateway;

import java.util.List;

/**
 * The gateway's S/MIME operations on a whole message's raw bytes (header and body, CRLF or LF).
 * Bad or unexpected mail gets a {@link GatewayResult} with a code, never an exception. Thread-safe.
 */
public interface SmimeProtection {

    /** G3: whether the top-level entity is already {@code multipart/signed} or {@code application/(x-)pkcs7-mime}. */
    boolean isProtected(byte[] message);

    /**
     * G4, G5: a detached {@code multipart/signed} (RFC 8551 §3.5.3), SHA-256, the whole chain
     * included. The outer header keeps every field but the content fields, which move into the
     * signed part; with {@code headerProtection}, From, To, Cc, Subject, Date and Message-ID are
     * copied into the signed part too (RFC 9788 §2, {@code hp="clear"}).
     */
    GatewayResult sign(byte[] message, SigningIdentity identity, boolean headerProtection);

    /**
     * G7: an {@code application/pkcs7-mime} enveloped for every certificate of {@code recipients}
     * (the caller adds the sender's own): AES-256-GCM AuthEnvelopedData ({@code
     * smime-type=authEnveloped-data}, RFC 8551 §3.4) when all of them are {@code gcmCapable},
     * AES-256-CBC EnvelopedData otherwise.
     */
    GatewayResult encrypt(byte[] message, List<RecipientCertificate> recipients);

    /** G9: the inner message when {@code message} is enveloped for {@code identity}'s certificate. */
    GatewayResult decrypt(byte[] message, SigningIdentity identity);

    /** G6: the signer's certificate of a signed mail from {@code fromAddress}, when it may be kept. */
    HarvestResult harvest(byte[] message, String fromAddress);
}
