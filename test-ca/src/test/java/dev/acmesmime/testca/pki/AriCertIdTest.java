package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class AriCertIdTest {

    /**
     * RFC 9773 §4.1's example: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4 and
     * serial 0x87654321, whose DER INTEGER content needs a leading zero byte (00 87 65 43 21).
     */
    @Test
    void rfc9773Example() {
        byte[] keyId = HexFormat.of().parseHex("69885b6b87464041e1b37b847ba0ae2cde01c8d4");
        assertThat(AriCertId.of(keyId, new BigInteger("87654321", 16)))
                .isEqualTo("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    }

    @Test
    void aSerialWithoutTheHighBitHasNoLeadingZero() {
        assertThat(AriCertId.of(new byte[] {1}, new BigInteger("7f01", 16))).isEqualTo("AQ.fwE");
    }
}
