package dev.acmesmime.rfc8823;

/**
 * What the caller knows about the mail in advance, from the ACME side.
 * Each field is optional ({@code null}); the related check runs only when it is set.
 *
 * @param expectedFrom      challenge: the challenge object's {@code from} (C9); response: the identifier (R3).
 *                          A mismatch is {@code unexpected-sender}.
 * @param expectedTo        challenge: the mailbox being validated (C10); response: an address the CA sent from (R4).
 *                          A mismatch is {@code to}.
 * @param tokenPart2        the challenge object's {@code token} (A4)
 * @param accountThumbprint base64url RFC 7638 thumbprint of the ACME account key; with {@code tokenPart2}
 *                          it enables the digest check of a response ({@code digest-mismatch})
 */
public record Expectations(String expectedFrom, String expectedTo, String tokenPart2, String accountThumbprint) {

    public static final Expectations NONE = new Expectations(null, null, null, null);

    public static Builder builder() {
        return new Builder();
    }

    public boolean canCheckDigest() {
        return tokenPart2 != null && accountThumbprint != null;
    }

    /** Builder; each setter returns itself. */
    public static final class Builder {
        private String expectedFrom;
        private String expectedTo;
        private String tokenPart2;
        private String accountThumbprint;

        private Builder() {
        }

        public Builder expectedFrom(String address) {
            this.expectedFrom = address;
            return this;
        }

        public Builder expectedTo(String address) {
            this.expectedTo = address;
            return this;
        }

        public Builder tokenPart2(String tokenPart2) {
            this.tokenPart2 = tokenPart2;
            return this;
        }

        public Builder accountThumbprint(String thumbprint) {
            this.accountThumbprint = thumbprint;
            return this;
        }

        public Expectations build() {
            return new Expectations(expectedFrom, expectedTo, tokenPart2, accountThumbprint);
        }
    }
}
