package dev.acmesmime.dkim;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS TXT record that publishes a DKIM public key: its name {@code SELECTOR._domainkey.DOMAIN}
 * and its value ({@link DkimKeys#keyRecord}). A TXT character-string holds at most
 * {@value #MAX_STRING} octets (RFC 1035 §3.3.14), and a 2048-bit RSA key record is longer, so the
 * value is published as several strings of one record, which verifiers join (RFC 6376 §3.6.2.2).
 *
 * @param name  {@code SELECTOR._domainkey.DOMAIN}, without the trailing dot
 * @param value the whole record value, e.g. {@code v=DKIM1; k=rsa; p=…}
 */
public record DkimTxtRecord(String name, String value) {

    /** Longest character-string of a TXT record. */
    public static final int MAX_STRING = 255;

    /** The record publishing {@code key} for {@code selector} at {@code domain}. */
    public static DkimTxtRecord of(String selector, String domain, PublicKey key) {
        return new DkimTxtRecord(selector + "._domainkey." + domain, DkimKeys.keyRecord(key));
    }

    /** The value cut into strings of at most {@value #MAX_STRING} characters (the value is ASCII). */
    public List<String> strings() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += MAX_STRING) {
            parts.add(value.substring(i, Math.min(value.length(), i + MAX_STRING)));
        }
        return parts;
    }

    /** The strings as a zone file writes them: each in double quotes, separated by a space. */
    public String quotedStrings() {
        return String.join(" ", strings().stream().map(s -> '"' + s + '"').toList());
    }
}
