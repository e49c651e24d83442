package dev.acmesmime.deploy;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * What a scenario test does and reads on an organisation James's WebAdmin: create a user, as an admin
 * does, and follow that mailbox's enrolment ({@code GET /acme-smime/enrolments}) to its certificate.
 *
 * @param webAdmin the organisation James's WebAdmin
 * @param patience how long {@link #awaitStep} waits
 */
record OrgEnrolments(WebAdminClient webAdmin, Duration patience) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The password {@link #createUser} gives a mailbox, for its SMTP AUTH and IMAP logins. */
    static String password(String mailbox) {
        return "secret-of-" + mailbox;
    }

    /** {@code PUT /users/{mailbox}} on the organisation James: all an admin does. */
    void createUser(String mailbox) throws Exception {
        Http user = webAdmin.send("PUT", "/users/" + mailbox, "{\"password\":\"" + password(mailbox) + "\"}");
        if (user.status() != 204) {
            throw new AssertionError("PUT /users/" + mailbox + ": " + user.status() + " " + user.body());
        }
    }

    /** The mailbox's row of {@code GET /acme-smime/enrolments?domain=…}; a missing node before it has one. */
    JsonNode enrolment(String mailbox) throws Exception {
        String domain = mailbox.substring(mailbox.indexOf('@') + 1);
        for (JsonNode e : JSON.readTree(webAdmin.getOk("/acme-smime/enrolments?domain=" + domain))) {
            if (e.path("mailbox").asText().equals(mailbox)) {
                return e;
            }
        }
        return JSON.missingNode();
    }

    /** Waits until the mailbox's enrolment is at {@code step} (e.g. {@code issued}, {@code challenge-registered}). */
    JsonNode awaitStep(String mailbox, String step) {
        return await().atMost(patience).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> enrolment(mailbox), e -> e.path("step").asText().equals(step));
    }

    /** The PEM chain WebAdmin serves for an issued mailbox. */
    String certificatePem(String mailbox) throws Exception {
        return webAdmin.getOk("/acme-smime/enrolments/" + mailbox + "/certificate");
    }
}
