package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class AriCertIdTest {

    /**
     * RFC 9773 §4.1's example: keyIdentifier 69:88:5b:6b:87:46:40:41:e1:b3:7b:84:7b:a0:ae:2c:de:01:c8:d4 and
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
