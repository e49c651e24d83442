package dev.acmesmime.james.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayResult;
import dev.acmesmime.gateway.HarvestResult;
import dev.acmesmime.gateway.RecipientCertificate;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.gateway.SmimeProtection;

/**
 * A stand-in for core's S/MIME operations that marks messages instead of doing cryptography, and
 * records what it was asked: the mailets' routing is under test here, core's CMS has its own tests.
 * "Signing" turns the top-level type into {@code multipart/signed} and adds {@code X-Fake-Signed-By};
 * "encrypting" makes it {@code application/pkcs7-mime} and adds {@code X-Fake-Encrypted-To}.
 */
final class FakeProtection implements SmimeProtection {
    static final String TEXT_TYPE = "Content-Type: text/plain; charset=US-ASCII";
    static final String SIGNED_TYPE = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
            + "micalg=sha-256; boundary=\"b1\"";
    static final String ENVELOPED_TYPE = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m";

    final List<String> signedFor = new ArrayList<>();
    final List<Boolean> headerProtection = new ArrayList<>();
    final List<List<String>> encryptedTo = new ArrayList<>();
    final List<String> harvestedFrom = new ArrayList<>();
    final Map<String, HarvestResult> harvests = new HashMap<>();
    boolean encryptFails;

    @Override
    public boolean isProtected(byte[] message) {
        String header = text(message).split("\r?\n\r?\n", 2)[0];
        return header.contains("multipart/signed") || header.contains("pkcs7-mime");
    }

    @Override
    public GatewayResult sign(byte[] message, SigningIdentity identity, boolean protectHeader) {
        signedFor.add(identity.mailbox());
        headerProtection.add(protectHeader);
        return GatewayResult.changed(GatewayCode.SIGNED, "signed with serial 1, SHA-256",
                bytes("X-Fake-Signed-By: " + identity.mailbox() + "\r\n" + text(message).replace(TEXT_TYPE, SIGNED_TYPE)));
    }

    @Override
    public GatewayResult encrypt(byte[] message, List<RecipientCertificate> recipients) {
        List<String> to = recipients.stream().map(RecipientCertificate::address).toList();
        encryptedTo.add(to);
        if (encryptFails) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "fake failure");
        }
        String t = text(message);
        return GatewayResult.changed(GatewayCode.ENCRYPTED, "AES-256-CBC, " + to.size() + " certificates",
                bytes("X-Fake-Encrypted-To: " + String.join(",", to) + "\r\n"
                        + t.replace(TEXT_TYPE, ENVELOPED_TYPE).replace(SIGNED_TYPE, ENVELOPED_TYPE)));
    }

    @Override
    public GatewayResult decrypt(byte[] message, SigningIdentity identity) {
        String t = text(message);
        String header = t.split("\r?\n\r?\n", 2)[0];
        if (!header.contains("X-Fake-Encrypted-To:") || !header.contains(identity.mailbox())) {
            return GatewayResult.unchanged(GatewayCode.NOT_FOR_US, "not enveloped for " + identity.mailbox());
        }
        String inner = t.lines().filter(l -> !l.startsWith("X-Fake-Encrypted-To:"))
                .collect(Collectors.joining("\r\n", "", "\r\n")).replace(ENVELOPED_TYPE, TEXT_TYPE);
        return GatewayResult.changed(GatewayCode.DECRYPTED, "AES-256-CBC", bytes(inner));
    }

    @Override
    public HarvestResult harvest(byte[] message, String fromAddress) {
        harvestedFrom.add(fromAddress);
        return harvests.getOrDefault(fromAddress,
                new HarvestResult(GatewayCode.UNTRUSTED, "no trust anchor", Optional.empty()));
    }

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
