package dev.acmesmime.smime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;

import dev.acmesmime.rfc8823.Untrusted;

/**
 * Finds the S/MIME signature of a message and the exact bytes it signs, for the two shapes
 * RFC 8823 §3.1 item 7 names (C17): {@code multipart/signed} (RFC 8551 §3.5.3) and opaque
 * {@code application/pkcs7-mime; smime-type=signed-data} (RFC 8551 §3.5.2). Only the top-level
 * entity is looked at: a signature nested inside another multipart signs only part of the mail.
 */
public final class SmimeStructure {

    /** The two shapes of an S/MIME signed message. */
    public enum Shape {
        MULTIPART_SIGNED("multipart/signed"),
        OPAQUE("application/pkcs7-mime signed-data");

        private final String label;

        Shape(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What {@link #extract} found. */
    public sealed interface Extraction permits NotSigned, Malformed, Signed {
    }

    /** The message is not S/MIME signed at all (another type, or an encrypted or PGP message). */
    public record NotSigned(String reason) implements Extraction {
    }

    /** The message claims to be S/MIME signed, but its MIME or CMS structure is broken. */
    public record Malformed(Shape shape, String reason) implements Extraction {
    }

    /**
     * A parsed signature.
     *
     * @param content           the signed MIME entity (headers and body), exactly as signed
     * @param lineEndsNormalised bare LFs in a multipart/signed first part were turned into CRLF
     */
    public record Signed(Shape shape, CMSSignedData cms, byte[] content, boolean lineEndsNormalised) implements Extraction {
    }

    private SmimeStructure() {
    }

    /** Cheap shape test on the top-level Content-Type only; no CMS parsing. */
    public static Optional<Shape> shape(RawEntity message) {
        return classify(message.contentType()) instanceof Shape s ? Optional.of(s) : Optional.empty();
    }

    /** A {@link Shape}, or the reason (a String) why the type is not an S/MIME signature. */
    private static Object classify(ContentTypeField ct) {
        String type = ct.getMimeType().toLowerCase(Locale.ROOT);
        if (type.equals("multipart/signed")) {
            String protocol = lower(ct.getParameter("protocol"));
            if (protocol.equals("application/pkcs7-signature") || protocol.equals("application/x-pkcs7-signature")) {
                return Shape.MULTIPART_SIGNED;
            }
            return "multipart/signed with protocol " + Untrusted.quote(ct.getParameter("protocol"))
                    + " is not S/MIME (needs application/pkcs7-signature)";
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            String smimeType = lower(ct.getParameter("smime-type"));
            // smime-type is optional in RFC 8551 §3.2.2; without it, the CMS content type decides.
            if (smimeType.isEmpty() || smimeType.equals("signed-data")) {
                return Shape.OPAQUE;
            }
            return type + "; smime-type=" + Untrusted.quote(smimeType) + " is not signed-data";
        }
        return "Content-Type " + Untrusted.quote(type)
                + " is neither multipart/signed nor application/pkcs7-mime";
    }

    public static Extraction extract(RawEntity message) {
        Object c = classify(message.contentType());
        if (c instanceof String reason) {
            return new NotSigned(reason);
        }
        return c == Shape.MULTIPART_SIGNED ? multipartSigned(message) : opaque(message);
    }

    private static Extraction multipartSigned(RawEntity message) {
        Shape shape = Shape.MULTIPART_SIGNED;
        String boundary = message.contentType().getBoundary();
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            return new Malformed(shape, "multipart/signed without a usable boundary parameter (RFC 2046 §5.1.1)");
        }
        byte[] data = message.data();
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int end = message.end();

        Delimiter first = Delimiter.find(data, message.bodyStart(), message.bodyStart(), end, dashBoundary);
        if (first == null || first.close) {
            return new Malformed(shape, "multipart/signed has no body part (no boundary delimiter line)");
        }
        Delimiter second = Delimiter.find(data, message.bodyStart(), first.next, end, dashBoundary);
        if (second == null || second.close) {
            return new Malformed(shape, "multipart/signed has fewer than two body parts");
        }
        Delimiter third = Delimiter.find(data, message.bodyStart(), second.next, end, dashBoundary);
        if (third == null) {
            return new Malformed(shape, "multipart/signed has no close delimiter (truncated?)");
        }
        if (!third.close) {
            return new Malformed(shape, "multipart/signed has more than two body parts (RFC 8551 §3.5.3 allows two)");
        }

        RawEntity sigPart = RawEntity.parse(data, second.next, third.start);
        String sigType = sigPart.contentType().getMimeType().toLowerCase(Locale.ROOT);
        if (!sigType.equals("application/pkcs7-signature") && !sigType.equals("application/x-pkcs7-signature")) {
            return new Malformed(shape, "second body part is " + Untrusted.quote(sigType)
                    + ", not application/pkcs7-signature");
        }
        Optional<byte[]> sig = sigPart.decodedBody();
        if (sig.isEmpty() || sig.get().length == 0) {
            return new Malformed(shape, "signature part is empty or its Content-Transfer-Encoding "
                    + Untrusted.quote(sigPart.transferEncoding()) + " cannot be decoded");
        }

        byte[] content = Arrays.copyOfRange(data, first.next, Math.max(first.next, second.start));
        byte[] canonical = toCrlf(content);
        boolean normalised = canonical.length != content.length;
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(canonical), sig.get());
            return new Signed(shape, cms, canonical, normalised);
        } catch (CMSException | RuntimeException | StackOverflowError e) {
            // StackOverflowError: deeply nested ASN.1 from a hostile sender must give a verdict, not kill the thread.
            return new Malformed(shape, "signature part is not a CMS SignedData: " + describe(e));
        }
    }

    private static Extraction opaque(RawEntity message) {
        Shape shape = Shape.OPAQUE;
        Optional<byte[]> body = message.decodedBody();
        if (body.isEmpty() || body.get().length == 0) {
            return new Malformed(shape, "application/pkcs7-mime body is empty or its Content-Transfer-Encoding "
                    + Untrusted.quote(message.transferEncoding()) + " cannot be decoded");
        }
        try {
            CMSSignedData cms = new CMSSignedData(body.get());
            if (cms.getSignedContent() == null || !(cms.getSignedContent().getContent() instanceof byte[] content)) {
                return new Malformed(shape, "CMS SignedData carries no encapsulated content");
            }
            if (!CMSObjectIdentifiers.data.getId().equals(cms.getSignedContentTypeOID())) {
                return new Malformed(shape, "encapsulated content type " + cms.getSignedContentTypeOID()
                        + " is not id-data (RFC 8551 §3.5.2)");
            }
            return new Signed(shape, cms, content, false);
        } catch (CMSException | RuntimeException | StackOverflowError e) {
            return new Malformed(shape, "body is not a CMS SignedData: " + describe(e));
        }
    }

    public static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + Untrusted.quote(m));
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * RFC 8551 §3.1.1 signs text in canonical form (CRLF). A bare LF in the first part can only
     * come from a relay that rewrote line ends after signing, so restoring CRLF restores the signed bytes.
     */
    public static byte[] toCrlf(byte[] in) {
        boolean bare = false;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                bare = true;
                break;
            }
        }
        if (!bare) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 20);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    /**
     * A boundary delimiter line (RFC 2046 §5.1.1): {@code start} is where the CRLF before it
     * begins (that CRLF belongs to the delimiter), {@code next} the first byte after its line.
     */
    private record Delimiter(int start, int next, boolean close) {

        static Delimiter find(byte[] data, int bodyStart, int from, int end, byte[] dashBoundary) {
            int i = from;
            while (i < end) {
                boolean lineStart = i == bodyStart || data[i - 1] == '\n';
                if (lineStart && startsWith(data, i, end, dashBoundary)) {
                    int after = i + dashBoundary.length;
                    boolean close = startsWith(data, after, end, new byte[] {'-', '-'});
                    int p = close ? after + 2 : after;
                    while (p < end && (data[p] == ' ' || data[p] == '\t')) {
                        p++; // transport padding
                    }
                    if (p == end || data[p] == '\r' || data[p] == '\n') {
                        int lf = RawEntity.indexOf(data, (byte) '\n', p, end);
                        int next = lf < 0 ? end : lf + 1;
                        int start = i;
                        if (start > bodyStart && data[start - 1] == '\n') {
                            start--;
                            if (start > bodyStart && data[start - 1] == '\r') {
                                start--;
                            }
                        }
                        return new Delimiter(start, next, close);
                    }
                }
                int lf = RawEntity.indexOf(data, (byte) '\n', i, end);
                if (lf < 0) {
                    return null;
                }
                i = lf + 1;
            }
            return null;
        }

        private static boolean startsWith(byte[] data, int at, int end, byte[] prefix) {
            if (at + prefix.length > end) {
                return false;
            }
            for (int k = 0; k < prefix.length; k++) {
                if (data[at + k] != prefix[k]) {
                    return false;
                }
            }
            return true;
        }
    }
}
