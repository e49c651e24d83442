package dev.acmesmime.testca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.testca.mail.EmailReplyValidation.Status;
import dev.acmesmime.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmailReplyValidationTest {
    private static final String ID = "alice@example.org";
    private static final String THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(T0);
    private final String t1 = ChallengeTokens.tokenPart1(random, false);
    private final String t2 = ChallengeTokens.tokenPart2(random);
    private final String good = KeyAuthorization.digest(t1, t2, THUMBPRINT);

    private EmailReplyValidation validation(Duration delay) {
        return new EmailReplyValidation(ID, t1, t2, THUMBPRINT, T0.plus(Duration.ofHours(24)), delay, clock);
    }

    private static String wrongDigest() {
        return KeyAuthorization.digest("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "BBBB", THUMBPRINT);
    }

    @Test
    void postThenResponseTurnsValid() {
        EmailReplyValidation v = validation(Duration.ZERO);
        assertThat(v.status()).isEqualTo(Status.PENDING);
        assertThat(v.clientPosted().outcome()).isEqualTo("waiting-for-response");
        assertThat(v.status()).isEqualTo(Status.PROCESSING);
        assertThat(v.result(ID, good).outcome()).isEqualTo("valid");
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.validated()).contains(T0);
        assertThat(v.error()).isEmpty();
    }

    /** fault.responseOnlyAfterPost: the CA looks for the response for a while after the POST, then gives up. */
    @Test
    void aCaThatLooksOnlyAfterThePost_givesUpWhenTheResponseIsLate_butTakesOneThatCameFirst() {
        Duration window = Duration.ofSeconds(2);
        EmailReplyValidation late = new EmailReplyValidation(ID, t1, t2, THUMBPRINT, T0.plus(Duration.ofHours(24)),
                Duration.ZERO, window, clock);
        late.clientPosted();
        clock.advance(Duration.ofMillis(1999));
        assertThat(late.status()).isEqualTo(Status.PROCESSING);
        clock.advance(Duration.ofMillis(1));
        assertThat(late.status()).isEqualTo(Status.INVALID);
        assertThat(late.error()).contains(EmailReplyValidation.NO_RESPONSE_AFTER_POST);
        assertThat(late.result(ID, good).outcome()).as("too late, for good").isEqualTo("already-final");
        assertThat(late.status()).isEqualTo(Status.INVALID);

        EmailReplyValidation early = new EmailReplyValidation(ID, t1, t2, THUMBPRINT, T0.plus(Duration.ofHours(24)),
                Duration.ZERO, window, clock);
        assertThat(early.result(ID, good).outcome()).isEqualTo("waiting-for-post");
        clock.advance(Duration.ofMinutes(5));
        assertThat(early.clientPosted().outcome()).isEqualTo("valid");
        assertThat(early.status()).isEqualTo(Status.VALID);
    }

    @Test
    void responseThenPostTurnsValid() {
        EmailReplyValidation v = validation(Duration.ZERO);
        assertThat(v.result(ID, good).outcome()).isEqualTo("waiting-for-post");
        assertThat(v.status()).isEqualTo(Status.PENDING);
        assertThat(v.validated()).isEmpty();
        assertThat(v.clientPosted().outcome()).isEqualTo("valid");
        assertThat(v.status()).isEqualTo(Status.VALID);
    }

    @Test
    void repeatedPostsAndTheSameResponseAgainChangeNothing() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.clientPosted();
        assertThat(v.clientPosted().outcome()).isEqualTo("waiting-for-response");
        assertThat(v.status()).isEqualTo(Status.PROCESSING);
        v.result(ID, good);
        assertThat(v.clientPosted().outcome()).isEqualTo("already-final");
        assertThat(v.status()).isEqualTo(Status.VALID);
    }

    @Test
    void theFirstWrongDigestMakesItInvalidForGood() {
        EmailReplyValidation v = validation(Duration.ZERO);
        ResultOutcome wrong = v.result(ID, wrongDigest());
        assertThat(wrong.outcome()).isEqualTo("invalid");
        assertThat(v.status()).isEqualTo(Status.INVALID);
        assertThat(v.error()).contains(EmailReplyValidation.INCORRECT_RESPONSE);
        assertThat(v.result(ID, good).outcome()).isEqualTo("already-final");
        assertThat(v.clientPosted().outcome()).isEqualTo("already-final");
        assertThat(v.status()).isEqualTo(Status.INVALID);
    }

    @Test
    void aSecondWrongDigestAfterAValidOneChangesNothing() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.clientPosted();
        v.result(ID, good);
        assertThat(v.result(ID, wrongDigest()).outcome()).isEqualTo("already-final");
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.error()).isEmpty();
    }

    @Test
    void aWrongDigestAfterACorrectOneBeforeThePostIsIgnored() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.result(ID, good);
        assertThat(v.result(ID, wrongDigest()).outcome()).isEqualTo("already-answered");
        assertThat(v.result(ID, good + "=").outcome()).isEqualTo("waiting-for-post");
        assertThat(v.clientPosted().outcome()).isEqualTo("valid");
    }

    @Test
    void aResultFromAnotherAddressChangesNothing() {
        EmailReplyValidation v = validation(Duration.ZERO);
        assertThat(v.result("mallory@example.org", good).outcome()).isEqualTo("wrong-from");
        assertThat(v.result(null, good).outcome()).isEqualTo("wrong-from");
        assertThat(v.status()).isEqualTo(Status.PENDING);
        assertThat(v.result("alice@EXAMPLE.org", good).outcome()).isEqualTo("waiting-for-post");
    }

    @Test
    void expiresAfterItsLifetime() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.clientPosted();
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(v.status()).isEqualTo(Status.PROCESSING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(v.status()).isEqualTo(Status.INVALID);
        assertThat(v.error()).contains(EmailReplyValidation.EXPIRED);
        assertThat(v.result(ID, good).outcome()).isEqualTo("expired");
        assertThat(v.clientPosted().outcome()).isEqualTo("expired");
    }

    @Test
    void aValidChallengeStaysValidAfterItsLifetime() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.clientPosted();
        v.result(ID, good);
        clock.advance(Duration.ofHours(25));
        assertThat(v.status()).isEqualTo(Status.VALID);
    }

    @Test
    void theValidationDelayShowsProcessingUntilItHasPassed() {
        EmailReplyValidation v = new EmailReplyValidation(ID, t1, t2, THUMBPRINT, T0.plus(Duration.ofHours(1)),
                Duration.ofSeconds(30), clock, () -> 30_000L);
        v.clientPosted();
        assertThat(v.result(ID, good).outcome()).isEqualTo("valid");
        assertThat(v.status()).isEqualTo(Status.PROCESSING);
        assertThat(v.validated()).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(v.status()).isEqualTo(Status.PROCESSING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(v.status()).isEqualTo(Status.VALID);
        assertThat(v.validated()).contains(T0.plusSeconds(30));
    }

    @Test
    void aRepeatedResultIdGetsTheSameOutcomeWithoutAStateChange() {
        EmailReplyValidation v = validation(Duration.ZERO);
        ResultOutcome first = v.result("r-1", ID, good);
        assertThat(first.outcome()).isEqualTo("waiting-for-post");
        v.clientPosted();
        assertThat(v.result("r-1", ID, good)).isEqualTo(first);
        assertThat(v.result("r-2", ID, wrongDigest()).outcome()).isEqualTo("already-final");
        assertThat(v.status()).isEqualTo(Status.VALID);
    }

    @Test
    void aRepeatedWrongResultIdStaysInvalid() {
        EmailReplyValidation v = validation(Duration.ZERO);
        ResultOutcome first = v.result("r-1", ID, wrongDigest());
        assertThat(v.result("r-1", ID, wrongDigest())).isEqualTo(first);
        assertThat(first.outcome()).isEqualTo("invalid");
    }

    @Test
    void theByteReadingDigestIsRefusedForAnOddTokenPart1() {
        String odd = ChallengeTokens.tokenPart1(random, true);
        String byteReading = KeyAuthorization.digestByteConcatenation(odd, t2, THUMBPRINT);
        assertThat(byteReading).isNotEqualTo(KeyAuthorization.digest(odd, t2, THUMBPRINT));
        EmailReplyValidation v = new EmailReplyValidation(ID, odd, t2, THUMBPRINT, T0.plus(Duration.ofHours(1)),
                Duration.ZERO, clock);
        v.clientPosted();
        assertThat(v.result(ID, byteReading).outcome()).isEqualTo("invalid");
        assertThat(v.status()).isEqualTo(Status.INVALID);
    }

    @Test
    void theByteReadingDigestIsAcceptedForTheDefaultTokenPart1() {
        EmailReplyValidation v = validation(Duration.ZERO);
        v.clientPosted();
        assertThat(v.result(ID, KeyAuthorization.digestByteConcatenation(t1, t2, THUMBPRINT)).outcome())
                .isEqualTo("valid");
    }
}
