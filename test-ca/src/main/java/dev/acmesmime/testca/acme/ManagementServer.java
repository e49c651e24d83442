package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.testca.pki.CertificateAuthority;
import dev.acmesmime.testca.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The management port (Pebble's {@code PEBBLE_MANAGEMENT}), plain HTTP on 127.0.0.1 only: what a test needs
 * to see and steer that ACME does not offer. See {@code TestCa} for the endpoints: {@code GET /roots/0},
 * {@code GET /intermediates/0}, {@code GET /cert-status-by-serial/<hex>}, {@code POST /set-renewal-info/}
 * ({@code {"certID","start","end"}}, RFC 3339) and {@code GET /stats}.
 */
public final class ManagementServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CertificateAuthority ca;
    private final IssuedCertificates certificates;
    private final Supplier<ObjectNode> stats;

    public ManagementServer(CertificateAuthority ca, IssuedCertificates certificates, Supplier<ObjectNode> stats) {
        this.ca = ca;
        this.certificates = certificates;
        this.stats = stats;
    }

    /** The management routes, without nonces. */
    public Router router() {
        return new Router(Optional.empty())
                .get("/roots/0", ex -> pem(ex, ca.root()))
                .get("/intermediates/0", ex -> pem(ex, ca.intermediate()))
                .get("/cert-status-by-serial/", this::status)
                .post("/set-renewal-info/", this::setRenewalInfo)
                .get("/stats", ex -> ex.json(200, stats.get()));
    }

    private static void pem(Exchange ex, X509Certificate cert) {
        ex.send(200, "application/x-pem-file", Pem.of(List.of(cert)).getBytes(StandardCharsets.US_ASCII));
    }

    private void status(Exchange ex) {
        BigInteger serial;
        try {
            serial = new BigInteger(ex.tail(), 16);
        } catch (NumberFormatException e) {
            throw Problem.of(ProblemType.MALFORMED, "the serial must be hexadecimal").exception();
        }
        IssuedRecord r = certificates.bySerial(serial).orElseThrow(() -> Problem.of(ProblemType.NOT_FOUND,
                "no certificate has the serial " + ex.tail()).exception());
        X509Certificate leaf = r.certificate().leaf();
        ObjectNode o = JSON.createObjectNode();
        o.put("serial", serial.toString(16));
        o.put("status", r.revoked() ? "revoked" : "valid");
        o.put("notBefore", leaf.getNotBefore().toInstant().toString());
        o.put("notAfter", leaf.getNotAfter().toInstant().toString());
        r.revocation().ifPresent(reason -> o.put("revocationReason", reason));
        ex.json(200, o);
    }

    private void setRenewalInfo(Exchange ex) {
        JsonNode body;
        try {
            body = JSON.readTree(ex.body());
        } catch (IOException e) {
            throw Problem.of(ProblemType.MALFORMED, "the body must be {\"certID\",\"start\",\"end\"}").exception();
        }
        String certId = body == null ? "" : body.path("certID").asText("");
        IssuedRecord.Window w = new IssuedRecord.Window(instant(body, "start"), instant(body, "end"));
        if (!w.end().isAfter(w.start())) {
            throw Problem.of(ProblemType.MALFORMED, "end must be after start").exception();
        }
        IssuedRecord r = certificates.byCertId(certId).orElseThrow(() -> Problem.of(ProblemType.NOT_FOUND,
                "no certificate has the certID " + certId).exception());
        certificates.update(r.id(), x -> x.withWindow(w));
        ex.empty(200);
    }

    private static Instant instant(JsonNode body, String name) {
        try {
            return OffsetDateTime.parse(body == null ? "" : body.path(name).asText("")).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.of(ProblemType.MALFORMED, name + " must be an RFC 3339 date-time").exception();
        }
    }
}
