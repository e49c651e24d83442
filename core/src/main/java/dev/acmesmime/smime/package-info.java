/**
 * S/MIME-signed challenges (RFC 8823 §3.1 items 6–7, §4; checklist C15, C17, D5, X14).
 * <p>
 * {@link dev.acmesmime.smime.SmimeChallengeVerifier} verifies the CMS signature, the signer's
 * PKIX path at an injected clock, the rfc822Name SAN against From, and header protection;
 * {@link dev.acmesmime.smime.CompositeAuthenticityVerifier} accepts DKIM or S/MIME for challenges
 * and DKIM only for responses; {@link dev.acmesmime.smime.TrustAnchors} loads trust anchors.
 * Built on BouncyCastle 1.70 CMS/PKIX ({@code bcpkix-jdk15on}) and mime4j, both shipped by James
 * 3.8.1; no bcmail and no javax.mail.
 */
package dev.acmesmime.smime;
