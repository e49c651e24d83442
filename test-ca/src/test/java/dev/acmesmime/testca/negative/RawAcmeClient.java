package dev.acmesmime.testca.negative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A deliberately small RFC 8555 client that builds every request by hand ({@link JwsRequest}), so a test can
 * send exactly the mistake it wants to see refused. It keeps the {@code Replay-Nonce} of every answer in a
 * pool and takes a nonce from it (or from {@code newNonce}) for each request that does not bring its own.
 * <p>
 * It checks nothing itself: every answer comes back as an {@link AcmeResponse} for the test to judge.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6">RFC 8555 §6</a>
 */
public final class RawAcmeClient {
    public static final String JOSE_JSON = "application/jose+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI directoryUrl;
    private final Deque<String> nonces = new ArrayDeque<>();
    private JsonNode directory;

    public RawAcmeClient(URI directoryUrl) {
        this.directoryUrl = directoryUrl;
    }

    /** The directory object (RFC 8555 §7.1.1), read once. */
    public synchronized JsonNode directory() {
        if (directory == null) {
            AcmeResponse r = send(HttpRequest.newBuilder(directoryUrl).GET());
            if (r.status() != 200) {
                throw new IllegalStateException("directory: " + r);
            }
            directory = r.json();
        }
        return directory;
    }

    /** A resource URL from the directory, e.g. {@code newAccount}. */
    public URI resource(String name) {
        JsonNode url = directory().get(name);
        if (url == null || !url.isTextual()) {
            throw new IllegalStateException("the directory has no " + name + ": " + directory());
        }
        return URI.create(url.asText());
    }

    /** HEAD newNonce (RFC 8555 §7.2): a fresh nonce, not put in the pool. */
    public String freshNonce() {
        AcmeResponse r = send(HttpRequest.newBuilder(resource("newNonce")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()), false);
        return r.replayNonce().orElseThrow(() -> new IllegalStateException("newNonce without Replay-Nonce: " + r));
    }

    /** A nonce from the pool, or a fresh one. */
    public synchronized String nonce() {
        String n = nonces.pollFirst();
        return n != null ? n : freshNonce();
    }

    /** A correct request to {@code url}, to be signed and perhaps damaged. */
    public JwsRequest request(URI url) {
        return new JwsRequest(url);
    }

    public JwsRequest request(String url) {
        return request(URI.create(url));
    }

    /** A request signed as {@code account} (its {@code kid}). */
    public JwsRequest as(Account account, String url) {
        return request(url).kid(account.url(), account.keys());
    }

    /** POSTs the request as {@code application/jose+json}, with a pooled nonce unless it brings one. */
    public AcmeResponse post(JwsRequest request) {
        return post(request, JOSE_JSON);
    }

    /** POSTs the request with any Content-Type (RFC 8555 §6.2 requires {@value #JOSE_JSON}). */
    public AcmeResponse post(JwsRequest request, String contentType) {
        if (!request.hasNonce()) {
            request.nonce(nonce());
        }
        return send(HttpRequest.newBuilder(request.target()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(request.flattened())));
    }

    /** An unsigned GET, which RFC 8555 §6.3 allows only for the directory and newNonce. */
    public AcmeResponse plainGet(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** POST-as-GET as {@code account}. */
    public AcmeResponse get(Account account, String url) {
        return post(as(account, url).asGet());
    }

    /** newAccount with the terms agreed; {@code eab} is the externalAccountBinding or null. */
    public AcmeResponse newAccount(KeyPair key, ObjectNode eab) {
        ObjectNode payload = JSON.createObjectNode().put("termsOfServiceAgreed", true);
        if (eab != null) {
            payload.set("externalAccountBinding", eab);
        }
        return post(request(resource("newAccount")).jwk(key).payload(payload));
    }

    /** A new account (no EAB) that must be created. */
    public Account account() {
        KeyPair key = ec256();
        AcmeResponse r = newAccount(key, null);
        if (r.status() != 201 || r.location().isEmpty()) {
            throw new IllegalStateException("newAccount: " + r);
        }
        return new Account(key, r.location().get());
    }

    /** The newOrder payload for email identifiers; any {@code type:value} pair may be given as {@code "dns:x"}. */
    public static ObjectNode orderPayload(String... identifiers) {
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode ids = payload.putArray("identifiers");
        for (String id : identifiers) {
            int colon = id.indexOf(':');
            boolean typed = colon > 0 && !id.substring(0, colon).contains("@");
            ids.addObject().put("type", typed ? id.substring(0, colon) : "email")
                    .put("value", typed ? id.substring(colon + 1) : id);
        }
        return payload;
    }

    public AcmeResponse newOrder(Account account, String... identifiers) {
        return post(as(account, resource("newOrder").toString()).payload(orderPayload(identifiers)));
    }

    private AcmeResponse send(HttpRequest.Builder request) {
        return send(request, true);
    }

    /** @param pool whether the answer's Replay-Nonce goes to the pool (not when the caller takes it) */
    private AcmeResponse send(HttpRequest.Builder request, boolean pool) {
        HttpRequest built = request.timeout(Duration.ofSeconds(20)).build();
        try {
            HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
            AcmeResponse answer = new AcmeResponse(built.uri(), r.statusCode(), r.headers(), r.body());
            if (pool) {
                answer.replayNonce().ifPresent(this::keep);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized void keep(String nonce) {
        nonces.addLast(nonce);
    }

    /** A fresh P-256 key pair. */
    public static KeyPair ec256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 unavailable", e);
        }
    }
}
