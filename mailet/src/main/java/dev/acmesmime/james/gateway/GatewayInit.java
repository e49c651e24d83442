package dev.acmesmime.james.gateway;

import java.util.function.Supplier;

import javax.mail.MessagingException;

import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.base.GenericMailet;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.runtime.GatewayServices;

/**
 * What every gateway mailet's {@code init()} does alike: take the gateway's services from the runtime
 * (which opens the store and reads {@code gateway.*} settings) and open a mail repository named by a
 * parameter, stopping James with a message that names the setting or the parameter.
 */
final class GatewayInit {
    private GatewayInit() {
    }

    static GatewayServices services(GenericMailet mailet, Supplier<GatewayServices> services) throws MessagingException {
        try {
            return services.get();
        } catch (RuntimeException e) {
            throw new MessagingException(mailet.getMailetName() + ": the S/MIME gateway cannot start ("
                    + AcmeSmimeRuntime.SETTINGS_FILE + "): " + e.getMessage(), e);
        }
    }

    /** The repository at parameter {@code name}'s URL, {@code dflt} when absent; {@code null} when blank and allowed. */
    static MailRepository repository(GenericMailet mailet, MailRepositoryStore store, String name, String dflt)
            throws MessagingException {
        String url = mailet.getInitParameter(name, dflt).trim();
        if (url.isEmpty()) {
            return null;
        }
        if (!url.contains("://")) {
            throw new MessagingException("'" + name + "' must be a mail repository URL such as memory://var/mail/x/, got '" + url + "'");
        }
        try {
            return store.select(MailRepositoryUrl.from(url));
        } catch (MailRepositoryStore.MailRepositoryStoreException | RuntimeException e) {
            throw new MessagingException("'" + name + "': cannot open mail repository '" + url + "': " + e.getMessage(), e);
        }
    }
}
