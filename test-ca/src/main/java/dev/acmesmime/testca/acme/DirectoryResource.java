package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The resources a client reaches without a signature: the directory (RFC 8555 §7.1.1, with
 * {@code renewalInfo} of RFC 9773 §3 unless {@code ari=false}, and {@code meta.termsOfService}, {@code meta.externalAccountRequired}),
 * newNonce (§7.2: HEAD answers 200, GET 204, both {@code Cache-Control: no-store}; the nonce itself is the
 * Replay-Nonce every answer carries), the terms of service, and keyChange, which this test CA does not offer.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.1.1">RFC 8555 §7.1.1</a>
 */
public final class DirectoryResource {
    static final String TERMS_TEXT = "This is a TEST certificate authority. Its certificates are for tests only, "
            + "its keys are thrown away when it stops, and nothing it issues may be used for real mail.\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Urls urls;
    private final boolean eabRequired;
    private final boolean ari;

    public DirectoryResource(Urls urls, boolean eabRequired, boolean ari) {
        this.urls = urls;
        this.eabRequired = eabRequired;
        this.ari = ari;
    }

    public void directory(Exchange ex) {
        ObjectNode o = JSON.createObjectNode();
        o.put("newNonce", urls.of(Urls.NEW_NONCE).toString());
        o.put("newAccount", urls.of(Urls.NEW_ACCOUNT).toString());
        o.put("newOrder", urls.of(Urls.NEW_ORDER).toString());
        o.put("revokeCert", urls.of(Urls.REVOKE_CERT).toString());
        o.put("keyChange", urls.of(Urls.KEY_CHANGE).toString());
        if (ari) {
            o.put("renewalInfo", urls.of(Urls.RENEWAL_INFO.substring(0, Urls.RENEWAL_INFO.length() - 1)).toString());
        }
        ObjectNode meta = o.putObject("meta");
        meta.put("termsOfService", urls.of(Urls.TERMS).toString());
        meta.put("externalAccountRequired", eabRequired);
        ex.json(200, o);
    }

    public void newNonce(Exchange ex) {
        ex.header("Cache-Control", "no-store");
        ex.empty("HEAD".equals(ex.method()) ? 200 : 204);
    }

    public void terms(Exchange ex) {
        ex.send(200, "text/plain; charset=utf-8", TERMS_TEXT.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 8555 §7.3.5 key rollover is optional; this CA says so instead of pretending. */
    public void keyChange(Exchange ex) {
        throw Problem.of(ProblemType.MALFORMED, "keyChange (key rollover) is not supported by this test CA")
                .exception();
    }
}
