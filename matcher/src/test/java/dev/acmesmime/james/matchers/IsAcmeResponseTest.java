package dev.acmesmime.james.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests for {@link IsAcmeResponse}. */
class IsAcmeResponseTest {
    private static final String TOKEN = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";

    private IsAcmeResponse testee;

    @BeforeEach
    void setUp() throws MessagingException {
        testee = matcher("acme@ca.example, acme+*@ca.example");
    }

    private static IsAcmeResponse matcher(String condition) throws MessagingException {
        IsAcmeResponse m = new IsAcmeResponse();
        m.init(FakeMatcherConfig.builder().matcherName("IsAcmeResponse").condition(condition).build());
        return m;
    }

    private static FakeMail mail(String headers, String body, String... recipients) throws Exception {
        String raw = "From: alice@example.org\r\n" + headers + "\r\n" + body;
        MimeMessage message = new MimeMessage(Session.getDefaultInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        FakeMail.Builder b = FakeMail.builder().name("m").mimeMessage(message);
        for (String r : recipients) {
            b.recipient(new MailAddress(r));
        }
        return b.build();
    }

    @Test
    void shouldMatchTheChallengeAddressWhenTheSubjectCarriesTheLabel() throws Exception {
        FakeMail mail = mail("Subject: Re: ACME: " + TOKEN + "\r\n", "hi\r\n", "acme@ca.example", "sales@ca.example");
        assertThat(testee.match(mail)).containsExactly(new MailAddress("acme@ca.example"));
    }

    @Test
    void shouldMatchSubAddressesAgainstTheWildcardPattern() throws Exception {
        FakeMail mail = mail("Subject: AW: ACME: " + TOKEN + "\r\n", "", "ACME+x7Y-9@CA.example");
        assertThat(testee.match(mail)).containsExactly(new MailAddress("ACME+x7Y-9@CA.example"));
    }

    @Test
    void shouldMatchOnABeginLineWhenTheSubjectLostTheLabel() throws Exception {
        FakeMail mail = mail("Subject: my answer\r\n", "text\r\n-----BEGIN ACME RESPONSE-----\r\nabc\r\n"
                + "-----END ACME RESPONSE-----\r\n", "acme@ca.example");
        assertThat(testee.match(mail)).hasSize(1);
    }

    @Test
    void shouldNotMatchOrdinaryMailToTheChallengeAddress() throws Exception {
        assertThat(testee.match(mail("Subject: hello\r\n", "hi\r\n", "acme@ca.example"))).isEmpty();
    }

    @Test
    void shouldNotMatchAResponseToAnotherAddress() throws Exception {
        assertThat(testee.match(mail("Subject: Re: ACME: " + TOKEN + "\r\n", "", "acme@other.example",
                "acmex@ca.example", "acme+t@sub.ca.example"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "acme", "acme@", "@ca.example", "acme@*.example", "a b@ca.example"})
    void shouldRejectABadConditionNamingIt(String condition) {
        assertThatThrownBy(() -> matcher(condition)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("IsAcmeResponse");
    }
}
