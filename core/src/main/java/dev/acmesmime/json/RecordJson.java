package dev.acmesmime.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.store.IssuedChallenge;

/**
 * The one JSON shape of each value that evidence records (B15–B18), forward bodies and the CA's
 * routes write: a {@link Check}, a DKIM {@link SignatureResult} and the facts of an issued
 * challenge. Field names are part of the wire and evidence formats: never rename one.
 */
public final class RecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {
    }

    /** A fresh object node. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@code {code, ok, detail}}. */
    public static void check(ObjectNode o, Check c) {
        o.put("code", c.code().code());
        o.put("ok", c.ok());
        o.put("detail", c.detail());
    }

    /** One {@link #check} object per check, in order. */
    public static void checks(ArrayNode array, List<Check> checks) {
        checks.forEach(c -> check(array.addObject(), c));
    }

    /** The signature facts B15–B18 ask for: {@code d=}, {@code s=}, {@code a=}, key size, {@code h=}. */
    public static void signatureFacts(ObjectNode o, String domain, String selector, String algorithm, int keyBits,
                                      List<String> signedFields) {
        o.put("domain", domain);
        o.put("selector", selector);
        o.put("algorithm", algorithm);
        o.put("keyBits", keyBits);
        ArrayNode h = o.putArray("signedFields");
        signedFields.forEach(h::add);
    }

    /** A signature's facts, whether it is acceptable, and the checks that ran on it. */
    public static void signature(ObjectNode o, SignatureResult s) {
        signatureFacts(o, s.domain(), s.selector(), s.algorithm(), s.keyBits(), s.signedFields());
        o.put("acceptable", s.acceptable());
        checks(o.putArray("checks"), s.checks());
    }

    /**
     * The correlation facts of an issued challenge as evidence records keep them: Message-ID, the
     * identifier, response address, sub-address tag when there is one, creation and end of validity
     * (B7). The token is recorded beside them.
     */
    public static void challengeFacts(ObjectNode o, IssuedChallenge c) {
        o.put("messageId", c.messageId());
        o.put("identifier", c.identifier());
        o.put("responseAddress", c.responseAddress());
        c.tag().ifPresent(t -> o.put("tag", t));
        validity(o, c);
    }

    /** {@code createdAt} and {@code expiresAt} of an issued challenge (B7). */
    public static void validity(ObjectNode o, IssuedChallenge c) {
        o.put("createdAt", c.createdAt().toString());
        o.put("expiresAt", c.expiresAt().toString());
    }

    /** The bytes of {@code n}. */
    public static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
