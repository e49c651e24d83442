package dev.acmesmime.organisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.acmesmime.organisation.RegistrationRequest.InvalidRegistrationException;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.RecordLimits;

/** Registration checks shared by WebAdmin and the enrolment service (C9, C20, RFC 7638). */
class RegistrationRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";

    private static RegistrationRequest request(String field, String value) {
        String[] v = {"alice@Org.Example", " acme@ca.example ", "DGyRejmCefe7v4NfDGDKfA", THUMBPRINT,
                "https://ca.example/acme/chall/1", "2026-12-01T10:00:00Z"};
        int i = List.of("mailbox", "from", "tokenPart2", "accountThumbprint", "challengeUrl", "expires")
                .indexOf(field);
        if (i >= 0) {
            v[i] = value;
        }
        return new RegistrationRequest(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    @Test
    void aValidRequestBecomesTheRegistrationWithNormalisedMailboxes() {
        PendingChallenge.Registration r = request("", null).validate(NOW);

        assertThat(r.mailbox()).isEqualTo("alice@org.example");
        assertThat(r.challengeFrom()).isEqualTo("acme@ca.example");
        assertThat(r.challengeUrl()).isEqualTo(URI.create("https://ca.example/acme/chall/1"));
        assertThat(r.expiresAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "mailbox|NULL|'mailbox' is required",
            "mailbox|alice|'mailbox' is not a mailbox (local@domain)",
            "from|' '|'from' is required",
            "from|@ca.example|'from' is not a mailbox (local@domain)",
            "tokenPart2|NULL|'tokenPart2' is required",
            "tokenPart2|not base64!|'tokenPart2' must be base64url",
            "accountThumbprint|short|'accountThumbprint' must be the base64url SHA-256 JWK thumbprint (43 characters)",
            "challengeUrl|NULL|'challengeUrl' is required",
            "challengeUrl|https://ca example/|'challengeUrl' is not a URL",
            "challengeUrl|ftp://ca.example/c/1|'challengeUrl' must be an absolute http(s) URL of at most 2048 characters",
            "challengeUrl|/acme/chall/1|'challengeUrl' must be an absolute http(s) URL of at most 2048 characters",
            "expires|tomorrow|'expires' must be an ISO-8601 instant such as 2026-12-01T10:00:00Z",
            "expires|2026-12-01T09:00:00Z|'expires' must be in the future"})
    void c20_eachInvalidFieldIsNamed(String field, String value, String message) {
        assertThatThrownBy(() -> request(field, value).validate(NOW))
                .isInstanceOf(InvalidRegistrationException.class).hasMessage(message);
    }

    /** Found by fuzzing the WebAdmin bodies (issue 14 §4): a 12,720-character From reached the store, a 500. */
    @ParameterizedTest
    @CsvSource({"mailbox", "from"})
    void addressesLongerThanTheStoresColumnAreInvalid_notAStoreError(String field) {
        String longest = "a".repeat(64) + "@" + "b".repeat(RecordLimits.ADDRESS - 65 - 5) + ".test";
        assertThat(request(field, longest).validate(NOW)).isNotNull();

        assertThatThrownBy(() -> request(field, "x" + longest).validate(NOW))
                .isInstanceOf(InvalidRegistrationException.class)
                .hasMessage("'" + field + "' is longer than " + RecordLimits.ADDRESS + " characters");
    }
}
