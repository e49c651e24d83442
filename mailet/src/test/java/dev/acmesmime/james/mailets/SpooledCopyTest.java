package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 14 §0: the copies the mailets hand to the spool are released, also when the spool refuses them. */
class SpooledCopyTest {
    private final List<String> spooled = new ArrayList<>();

    /** A spool that, like every James 3.8.1 mail queue, keeps its own copy of what it is given. */
    private MailetContext spool(boolean refuse) {
        return (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailetContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("sendMail")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (refuse) {
                        throw new MessagingException("spool full");
                    }
                    Mail mail = (Mail) args[0];
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    mail.getMessage().writeTo(out);
                    spooled.add(args[1] + (args.length > 2 ? "+" + args[2] + args[3] : "") + ":"
                            + out.toString(StandardCharsets.US_ASCII));
                    return null;
                });
    }

    private final List<MailImpl> originals = new ArrayList<>();

    private Mail copy() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setSubject("held");
        message.setText("body");
        message.saveChanges();
        MailImpl original = MailImpl.builder().name("m1").mimeMessage(message).build();
        originals.add(original);
        return original.duplicate();
    }

    @AfterEach
    void releaseOriginals() {
        originals.forEach(MailImpl::dispose);
    }

    @Test
    void theCopyIsSpooledThenReleased() throws Exception {
        Mail copy = copy();

        SpooledCopy.send(spool(false), copy, "acme-challenge-held");

        assertThat(spooled).singleElement().asString().startsWith("acme-challenge-held:").contains("Subject: held");
        assertThat(copy.getMessage()).as("disposed after spooling").isNull();
    }

    @Test
    void aDelayedCopyIsSpooledWithItsDelayThenReleased() throws Exception {
        Mail copy = copy();

        SpooledCopy.sendLater(spool(false), copy, "root", 5, TimeUnit.MINUTES);

        assertThat(spooled).singleElement().asString().startsWith("root+5MINUTES:");
        assertThat(copy.getMessage()).isNull();
    }

    @Test
    void aCopyDelayedBySecondsKeepsItsUnit() throws Exception {
        SpooledCopy.sendLater(spool(false), copy(), "local-delivery", 3, TimeUnit.SECONDS);

        assertThat(spooled).singleElement().asString().startsWith("local-delivery+3SECONDS:");
    }

    @Test
    void aCopyTheSpoolRefusesIsReleasedToo() throws Exception {
        Mail copy = copy();

        assertThatThrownBy(() -> SpooledCopy.send(spool(true), copy, "root")).hasMessage("spool full");
        assertThat(copy.getMessage()).isNull();
    }
}
