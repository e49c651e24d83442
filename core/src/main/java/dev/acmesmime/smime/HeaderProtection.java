package dev.acmesmime.smime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Prefilter;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * The C17 rule "it MUST use S/MIME header protection", read as X14 suggests: From, To and
 * Subject are protected when the signature covers them in at least one of two forms, and every
 * form present agrees with the outer (unsigned) header fields:
 * <ul>
 * <li>RFC 8551 §3.1: the signed content is a {@code message/rfc822} whose header holds them;</li>
 * <li>RFC 7508: the signed attribute {@code id-aa-secureHeaderFieldsIdentifier}
 * (1.2.840.113549.1.9.16.2.55) lists them with status {@code duplicated} or {@code modified}.</li>
 * </ul>
 * Values are compared decoded: addresses as addr-specs ({@link Addresses}), Subject after
 * RFC 2047 decoding and unfolding, so either RFC 7508 canonicalisation gives the same result.
 * The outer fields must each occur exactly once; a protected form that disagrees fails the check
 * even if the other form agrees (a sender that signs two different Subjects is not trusted).
 */
final class HeaderProtection {

    /** RFC 7508 §3, id-aa-secureHeaderFieldsIdentifier. */
    static final ASN1ObjectIdentifier SECURE_HEADER_FIELDS = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.55");

    private static final List<String> PROTECTED = List.of("From", "To", "Subject");
    private static final int STATUS_DELETED = 1;

    private HeaderProtection() {
    }

    static Check check(RawEntity outer, byte[] signedContent, AttributeTable signedAttributes) {
        List<String> problems = new ArrayList<>();
        List<String> forms = new ArrayList<>();

        List<String> outerValues = new ArrayList<>();
        for (String name : PROTECTED) {
            List<String> v = outer.values(name);
            if (v.size() != 1) {
                problems.add("outer header has " + v.size() + " " + name + " fields (need exactly 1)");
                outerValues.add(null);
            } else {
                outerValues.add(v.get(0));
            }
        }

        RawEntity signedEntity = RawEntity.parse(signedContent);
        String signedType = signedEntity.contentType().getMimeType().toLowerCase(Locale.ROOT);
        if (signedType.equals("message/rfc822")) {
            forms.add("inner message/rfc822 (RFC 8551 §3.1)");
            Optional<byte[]> body = signedEntity.decodedBody();
            if (body.isEmpty()) {
                problems.add("inner message/rfc822 has an undecodable Content-Transfer-Encoding");
            } else {
                RawEntity inner = RawEntity.parse(body.get());
                for (int i = 0; i < PROTECTED.size(); i++) {
                    compare(PROTECTED.get(i), inner.values(PROTECTED.get(i)), outerValues.get(i),
                            "inner message/rfc822", problems);
                }
            }
        }

        Attribute attr = signedAttributes == null ? null : signedAttributes.get(SECURE_HEADER_FIELDS);
        if (attr != null) {
            forms.add("RFC 7508 secureHeaderFields attribute");
            readSecureHeaders(attr, outerValues, problems);
        }

        if (forms.isEmpty()) {
            return Check.fail(FailureCode.SMIME_HEADERS_UNPROTECTED,
                    "From, To and Subject not protected: signed content is " + Untrusted.quote(signedType)
                            + ", not message/rfc822 (RFC 8551 §3.1), and the signer has no RFC 7508"
                            + " secureHeaderFields attribute (C17)");
        }
        if (!problems.isEmpty()) {
            return Check.fail(FailureCode.SMIME_HEADERS_UNPROTECTED,
                    "header protection by " + String.join(" and ", forms) + " fails: " + String.join("; ", problems));
        }
        return Check.pass(FailureCode.SMIME_HEADERS_UNPROTECTED,
                "From, To and Subject protected by " + String.join(" and ", forms)
                        + " and equal to the outer header fields (C17)");
    }

    private static void readSecureHeaders(Attribute attr, List<String> outerValues, List<String> problems) {
        List<List<String>> values = new ArrayList<>();
        PROTECTED.forEach(n -> values.add(new ArrayList<>()));
        try {
            if (attr.getAttrValues().size() != 1) {
                problems.add("secureHeaderFields attribute has " + attr.getAttrValues().size() + " values (need 1)");
                return;
            }
            ASN1Encodable value = attr.getAttrValues().getObjectAt(0);
            ASN1Encodable[] elements = value instanceof ASN1Set set ? set.toArray()
                    : value instanceof ASN1Sequence seq ? seq.toArray() : null;
            if (elements == null) {
                problems.add("secureHeaderFields attribute value is not a SecureHeaderFields SET");
                return;
            }
            boolean sawFields = false;
            for (ASN1Encodable e : elements) {
                if (e instanceof ASN1Enumerated canon) {
                    int alg = canon.intValueExact();
                    if (alg != 0 && alg != 1) {
                        problems.add("secureHeaderFields canonAlgorithm " + alg + " is neither simple(0) nor relaxed(1)");
                    }
                } else if (e instanceof ASN1Sequence fields) {
                    sawFields = true;
                    for (ASN1Encodable f : fields) {
                        ASN1Sequence field = ASN1Sequence.getInstance(f);
                        String name = ((ASN1String) field.getObjectAt(0)).getString();
                        String fieldValue = ((ASN1String) field.getObjectAt(1)).getString();
                        int status = field.size() > 2 ? ASN1Integer.getInstance(field.getObjectAt(2)).intValueExact() : 0;
                        int idx = indexOf(name);
                        if (idx >= 0 && status != STATUS_DELETED) {
                            values.get(idx).add(fieldValue);
                        }
                    }
                }
            }
            if (!sawFields) {
                problems.add("secureHeaderFields attribute has no HeaderFields sequence");
                return;
            }
        } catch (RuntimeException e) {
            // BC's ASN.1 getInstance calls throw IllegalArgumentException, ClassCastException and kin on a
            // structure of the wrong shape: the attribute is signer-supplied, so any of them means it does not
            // protect the headers, and the check fails closed (C17, X14) with the reason named
            problems.add("secureHeaderFields attribute is malformed: " + SmimeStructure.describe(e));
            return;
        }
        for (int i = 0; i < PROTECTED.size(); i++) {
            compare(PROTECTED.get(i), values.get(i), outerValues.get(i), "secureHeaderFields", problems);
        }
    }

    private static int indexOf(String name) {
        for (int i = 0; i < PROTECTED.size(); i++) {
            if (PROTECTED.get(i).equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        return -1;
    }

    private static void compare(String name, List<String> protectedValues, String outerValue, String form,
                                List<String> problems) {
        if (protectedValues.size() != 1) {
            problems.add(form + " has " + protectedValues.size() + " " + name + " fields (need exactly 1)");
            return;
        }
        if (outerValue == null) {
            return; // already reported as an outer-header problem
        }
        String p = protectedValues.get(0);
        if (name.equals("Subject")) {
            String ps = subject(p);
            String os = subject(outerValue);
            if (!ps.equals(os)) {
                problems.add(form + " Subject " + Untrusted.quote(ps) + " differs from outer Subject " + Untrusted.quote(os));
            }
            return;
        }
        List<String> pa = Addresses.mailboxes(p);
        List<String> oa = Addresses.mailboxes(outerValue);
        if (pa.isEmpty()) {
            problems.add(form + " " + name + " " + Untrusted.quote(p.trim()) + " has no parseable address");
        } else if (!Addresses.sameMailboxes(pa, oa)) {
            problems.add(form + " " + name + " " + Untrusted.quote(String.join(", ", pa)) + " differs from outer "
                    + name + " " + Untrusted.quote(String.join(", ", oa)));
        }
    }

    /** Unfolded, RFC 2047-decoded, trimmed: protected and outer Subject compare as a reader sees them (C17). */
    static String subject(String raw) {
        return Prefilter.decode(raw).trim();
    }
}
