package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.testca.mail.EmailReplyValidation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON of the ACME resources (RFC 8555 §7.1.2–§7.1.5; the challenge as RFC 8823 §3 defines it:
 * {@code {type, url, status, token (token-part2), from}}).
 */
public final class Views {
    /** RFC 8823 §3: the challenge type. */
    public static final String EMAIL_REPLY_00 = "email-reply-00";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Urls urls;
    private final Clock clock;
    private final String challengeFrom;

    public Views(Urls urls, Clock clock, String challengeFrom) {
        this.urls = urls;
        this.clock = clock;
        this.challengeFrom = challengeFrom;
    }

    public ObjectNode account(Account a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", a.status().json());
        ArrayNode contact = o.putArray("contact");
        a.contact().forEach(contact::add);
        o.put("termsOfServiceAgreed", true);
        o.put("orders", a.url() + "/orders");
        a.eabKid().ifPresent(k -> o.put("externalAccountBinding", k));
        return o;
    }

    public ObjectNode orderList(List<String> orderIds) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("orders");
        orderIds.forEach(id -> list.add(urls.order(id).toString()));
        return o;
    }

    public ObjectNode order(Order order) {
        Instant now = clock.instant();
        ObjectNode o = JSON.createObjectNode();
        o.put("status", lower(order.status(now)));
        o.put("expires", order.expires().toString());
        ArrayNode ids = o.putArray("identifiers");
        order.identifiers().forEach(i -> ids.addObject().put("type", "email").put("value", i));
        ArrayNode authz = o.putArray("authorizations");
        order.authorizations().forEach(a -> authz.add(urls.authz(a.id()).toString()));
        o.put("finalize", urls.finalizeUrl(order.id()).toString());
        order.certificateId().ifPresent(c -> o.put("certificate", urls.certificate(c).toString()));
        order.replaces().ifPresent(r -> o.put("replaces", r));
        order.error().ifPresent(p -> o.set("error", p.node()));
        return o;
    }

    public ObjectNode authorization(Authorization a) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("identifier").put("type", "email").put("value", a.identifier());
        o.put("status", lower(a.status(clock.instant())));
        o.put("expires", a.expires().toString());
        o.putArray("challenges").add(challenge(a));
        return o;
    }

    public ObjectNode challenge(Authorization a) {
        EmailReplyValidation v = a.validation();
        ObjectNode o = JSON.createObjectNode();
        o.put("type", EMAIL_REPLY_00);
        o.put("url", urls.challenge(a.id()).toString());
        o.put("status", lower(v.status()));
        o.put("token", v.tokenPart2());
        o.put("from", challengeFrom);
        v.validated().ifPresent(t -> o.put("validated", t.toString()));
        v.error().ifPresent(e -> o.set("error", Problem.of(ProblemType.INCORRECT_RESPONSE, e).node()));
        return o;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
