package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.pki.IssuedCertificate;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** The issued certificates, in memory, by URL id, by serial and by ARI CertID (RFC 9773 §4.1). */
public final class IssuedCertificates {
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, IssuedRecord> byId = new ConcurrentHashMap<>();
    private final Map<BigInteger, String> idBySerial = new ConcurrentHashMap<>();
    private final Map<String, String> idByCertId = new ConcurrentHashMap<>();

    public IssuedRecord add(String accountId, IssuedCertificate cert) {
        String id = Long.toString(ids.incrementAndGet());
        IssuedRecord r = new IssuedRecord(id, accountId, cert, Optional.empty(), Optional.empty());
        byId.put(id, r);
        idBySerial.put(cert.serial(), id);
        idByCertId.put(cert.ariCertId(), id);
        return r;
    }

    public Optional<IssuedRecord> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<IssuedRecord> bySerial(BigInteger serial) {
        return Optional.ofNullable(idBySerial.get(serial)).map(byId::get);
    }

    public Optional<IssuedRecord> byCertId(String certId) {
        return Optional.ofNullable(idByCertId.get(certId)).map(byId::get);
    }

    /** Changes a record atomically; the change sees the current value. */
    public IssuedRecord update(String id, UnaryOperator<IssuedRecord> change) {
        return byId.computeIfPresent(id, (k, v) -> change.apply(v));
    }

    public int count() {
        return byId.size();
    }
}
