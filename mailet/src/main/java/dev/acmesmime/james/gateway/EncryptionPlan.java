package dev.acmesmime.james.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.james.core.MailAddress;

import dev.acmesmime.gateway.CertificateDirectory;
import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.GatewayPolicies;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.RecipientCertificate;

/**
 * Which recipients of one mail get it encrypted, in clear, or not at all (G7, G8): each recipient's
 * encryption policy, then, unless it is off, the certificate the directory knows for it.
 * <ul>
 *   <li>a certificate: the encrypted copy;</li>
 *   <li>policy {@code off}, or {@code opportunistic} without a certificate: the copy in clear;</li>
 *   <li>{@code required} without a certificate: held.</li>
 * </ul>
 * Every recipient is in exactly one of the three lists, in the mail's order.
 *
 * @param encrypted    recipients with a usable certificate
 * @param certificates their certificates, in the same order
 * @param required     those of {@code encrypted} whose policy is {@code required}: held, not sent in
 *                     clear, should encryption itself fail
 * @param clear        recipients the mail goes to unchanged
 * @param withoutCertificate how many of {@code clear} are opportunistic without a certificate (the
 *                     rest have encryption off)
 * @param held         required recipients without a certificate
 */
record EncryptionPlan(List<MailAddress> encrypted, List<RecipientCertificate> certificates, List<MailAddress> required,
                      List<MailAddress> clear, int withoutCertificate, List<MailAddress> held) {

    static EncryptionPlan of(Collection<MailAddress> recipients, GatewayPolicies policies, CertificateDirectory directory) {
        List<MailAddress> encrypted = new ArrayList<>();
        List<RecipientCertificate> certificates = new ArrayList<>();
        List<MailAddress> required = new ArrayList<>();
        List<MailAddress> clear = new ArrayList<>();
        List<MailAddress> held = new ArrayList<>();
        int withoutCertificate = 0;
        for (MailAddress recipient : recipients) {
            EncryptPolicy policy = policies.encryption(recipient.asString());
            if (policy == EncryptPolicy.OFF) {
                clear.add(recipient);
                continue;
            }
            Lookup<RecipientCertificate> lookup = directory.recipient(recipient.asString());
            if (lookup.found()) {
                encrypted.add(recipient);
                certificates.add(lookup.value().orElseThrow());
                if (policy == EncryptPolicy.REQUIRED) {
                    required.add(recipient);
                }
            } else if (policy == EncryptPolicy.REQUIRED) {
                held.add(recipient);
            } else {
                clear.add(recipient);
                withoutCertificate++;
            }
        }
        return new EncryptionPlan(List.copyOf(encrypted), List.copyOf(certificates), List.copyOf(required),
                List.copyOf(clear), withoutCertificate, List.copyOf(held));
    }
}
