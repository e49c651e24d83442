package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmesmime.rfc8823.Addresses;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * newAccount (RFC 8555 §7.3), account update and deactivation (§7.3.2, §7.3.6), and the account's orders
 * list (§7.1.2.1).
 * <ul>
 *   <li>A new key creates an account (201, Location); a known key answers its account (200, Location),
 *       as does {@code onlyReturnExisting}, which never creates one (accountDoesNotExist).</li>
 *   <li>{@code termsOfServiceAgreed} must be true: this CA has terms of service.</li>
 *   <li>{@code contact}: {@code mailto:} URIs only (else unsupportedContact), one address each, without
 *       header fields (else invalidContact).</li>
 *   <li>External Account Binding per {@code eab} ({@link ExternalAccountBinding}).</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.3">RFC 8555 §7.3</a>
 */
public final class AccountResource {
    private static final Logger LOG = LoggerFactory.getLogger(AccountResource.class);

    private final PostGate gate;
    private final Accounts accounts;
    private final Orders orders;
    private final ExternalAccountBinding eab;
    private final Views views;
    private final Urls urls;
    private final Clock clock;

    public AccountResource(PostGate gate, Accounts accounts, Orders orders, ExternalAccountBinding eab, Views views,
                           Urls urls, Clock clock) {
        this.gate = gate;
        this.accounts = accounts;
        this.orders = orders;
        this.eab = eab;
        this.views = views;
        this.urls = urls;
        this.clock = clock;
    }

    /** POST newAccount. */
    public void newAccount(Exchange ex) {
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.JWK);
        JsonNode p = req.json();
        Optional<Account> existing = accounts.byKey(req.key());
        if (existing.isPresent()) {
            LOG.info("newAccount existing account={}", existing.get().id());
            answer(ex, 200, existing.get());
            return;
        }
        if (p.path("onlyReturnExisting").asBoolean(false)) {
            throw Problem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account has this key").exception();
        }
        if (!p.path("termsOfServiceAgreed").asBoolean(false)) {
            throw Problem.of(ProblemType.MALFORMED, "termsOfServiceAgreed must be true: this CA has terms of "
                    + "service at " + urls.of(Urls.TERMS)).exception();
        }
        List<String> contact = contact(p.get("contact"));
        Optional<String> eabKid = eab.check(p.get("externalAccountBinding"), req.key(),
                urls.of(Urls.NEW_ACCOUNT).toString());
        Accounts.Registration reg = accounts.register(req.key(), contact, eabKid);
        LOG.info("newAccount account={} created={} eab={}", reg.account().id(), reg.created(), eabKid.orElse("-"));
        answer(ex, reg.created() ? 201 : 200, reg.account());
    }

    /** POST to an account URL (or its {@code /orders}): read, update the contact, or deactivate. */
    public void account(Exchange ex) {
        String tail = ex.tail();
        boolean ordersList = tail.endsWith("/orders");
        String id = ordersList ? tail.substring(0, tail.length() - "/orders".length()) : tail;
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.KID);
        Account account = req.requireAccount();
        if (!account.id().equals(id)) {
            throw Problem.of(ProblemType.UNAUTHORIZED, "the kid's account is not " + urls.account(id)).exception();
        }
        if (ordersList) {
            ex.json(200, views.orderList(orders.open(account.id(), clock.instant())));
            return;
        }
        if (!req.postAsGet()) {
            account = update(account, req.json());
        }
        answer(ex, 200, account);
    }

    private Account update(Account account, JsonNode p) {
        Account changed = account;
        if (p.has("contact")) {
            changed = changed.withContact(contact(p.get("contact")));
            LOG.info("updateAccount account={} contacts={}", account.id(), changed.contact().size());
        }
        if (p.has("status")) {
            if (!"deactivated".equals(p.get("status").asText())) {
                throw Problem.of(ProblemType.MALFORMED, "an account's status can only be set to deactivated")
                        .exception();
            }
            changed = changed.deactivated();
            LOG.info("deactivateAccount account={}", account.id());
        }
        accounts.replace(changed);
        return changed;
    }

    private void answer(Exchange ex, int status, Account account) {
        ex.location(account.url().toString()).link(urls.of(Urls.TERMS).toString(), "terms-of-service")
                .json(status, views.account(account));
    }

    /** RFC 8555 §7.3: mailto: only; RFC 6068 header fields ({@code ?}) and lists are refused. */
    static List<String> contact(JsonNode contact) {
        List<String> out = new ArrayList<>();
        if (contact == null || contact.isNull()) {
            return out;
        }
        if (!contact.isArray()) {
            throw Problem.of(ProblemType.MALFORMED, "contact must be an array of URIs").exception();
        }
        for (JsonNode c : contact) {
            String uri = c.asText("");
            if (!uri.regionMatches(true, 0, "mailto:", 0, 7)) {
                throw Problem.of(ProblemType.UNSUPPORTED_CONTACT, "only mailto: contacts are supported, not "
                        + uri).exception();
            }
            String address = uri.substring(7);
            List<String> parsed = Addresses.mailboxes(address);
            if (address.contains("?") || parsed.size() != 1 || !parsed.get(0).equals(address)) {
                throw Problem.of(ProblemType.INVALID_CONTACT, "contact " + uri + " is not one mailto: address")
                        .exception();
            }
            out.add(uri);
        }
        return out;
    }
}
