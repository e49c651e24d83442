/**
 * The S/MIME gateway (issue 16): the organisation's James puts each mailbox's enrolled certificate
 * to work. Outgoing mail is signed with the sender's own certificate (RFC 8551, detached
 * {@code multipart/signed}, optional RFC 9788 header protection) and encrypted to recipients whose
 * certificates are known; incoming signed mail teaches the gateway its correspondents' certificates;
 * incoming mail encrypted to a local mailbox may be decrypted before delivery.
 * <p>
 * Everything here works on a message's raw bytes, so that core stays free of javax.mail: the mailets
 * hand the bytes in and put the result back. Built on BouncyCastle 1.70's CMS and PKCS APIs
 * ({@code bcpkix-jdk15on}, shipped by James 3.8.1; James does not ship {@code bcmail}).
 * Each operation answers a {@link GatewayResult} with a stable {@link GatewayCode}, never an exception
 * for bad mail. The rules (G…) are explained in {@code docs/rules.md}.
 */
package dev.acmesmime.gateway;
