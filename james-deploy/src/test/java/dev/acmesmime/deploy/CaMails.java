package dev.acmesmime.deploy;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.testing.TestChallenge;

/**
 * What the CA-role tests send: RFC 8823 §3.1 challenges from the CA, §3.2 responses to them, and the
 * challenge notices the ACME server posts to WebAdmin. Every test uses its own addresses, tokens and
 * Message-IDs, so that no test depends on what another one left.
 */
final class CaMails {

    static final String CA = "acme+t1@ca.example";
    /** The key-authorization digest every response carries, base64url (R9). */
    static final String DIGEST = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaMails() {
    }

    /** A 43-character token-part1 (C4: at least 128 bits), one per character {@code c}. */
    static String token(char c) {
        return ("LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sMEa" + c).substring(1);
    }

    /** The ACME response block the body carries (R9). */
    static String block() {
        return "-----BEGIN ACME RESPONSE-----\n" + DIGEST + "\n-----END ACME RESPONSE-----\n";
    }

    /** A challenge from {@link #CA}; without {@code Auto-Submitted} it breaks C12. */
    static String challenge(String to, String messageId, String token, boolean autoSubmitted) {
        return text(TestChallenge.builder().from(CA).to(to).messageId(messageId).token(token)
                .autoSubmitted(autoSubmitted ? "auto-generated; type=acme" : null).build());
    }

    /** A response to {@link #CA}, unsigned; {@code extra} are further header lines. */
    static String response(String from, String token, String inReplyTo, String messageId, String extra,
                           String type, String body) {
        return ("From: " + from + "\n"
                + "To: " + CA + "\n"
                + "Subject: Re: ACME: " + token + "\n"
                + "Date: Sat, 28 Nov 2026 10:01:00 +0000\n"
                + "Message-ID: " + messageId + "\n"
                + "In-Reply-To: " + inReplyTo + "\n"
                + extra
                + "MIME-Version: 1.0\n"
                + "Content-Type: " + type + "; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n" + body).replace("\n", "\r\n");
    }

    /** A well-formed plain-text response with the block. */
    static String response(String from, String token, String inReplyTo, String messageId) {
        return response(from, token, inReplyTo, messageId, "", "text/plain", block());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The local part of an address: the tests name a user's challenge and response after it. */
    static String local(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    /** A challenge notice as the ACME server posts it to /acme-smime/challenges; {@code createdAt} null: now. */
    static String notice(String messageId, String token, String recipient, String createdAt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("messageId", messageId);
        n.put("tokenPart1", token);
        n.put("recipient", recipient);
        n.put("responseAddress", CA);
        if (createdAt != null) {
            n.put("createdAt", createdAt);
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
