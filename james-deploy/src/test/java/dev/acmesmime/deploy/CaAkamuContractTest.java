package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static dev.acmesmime.deploy.CaMails.DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import okhttp3.mockwebserver.RecordedRequest;

/** A CA's James forwarding with {@code forward.contract=akamu}: Akamu's five JSON fields and its body HMAC. */
class CaAkamuContractTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("akamu");

    @Test
    void theAkamuContract_carriesItsFiveFields_andTheBodyHmac() throws Exception {
        RecordedRequest req = JAMES.roundTrip("heidi@example.test");
        byte[] body = req.getBody().clone().readByteArray();
        assertThat(req.getHeader("X-Akamu-Signature")).isEqualTo("sha256=" + hmacHex(body));
        JsonNode n = JSON.readTree(body);
        assertThat(n.path("from").asText()).isEqualTo("heidi@example.test");
        assertThat(n.path("in_reply_to").asText()).isEqualTo("<c-heidi@ca.example>");
        assertThat(n.path("dkim_domain").asText()).isEqualTo("example.test");
        assertThat(n.path("dkim_status").asText()).isEqualTo("pass");
        assertThat(n.path("body").asText()).contains(DIGEST);
    }

    /** HMAC-SHA256 of {@code data} with conf/ca's secret, in hex, as Akamu checks it. */
    private static String hmacHex(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JAMES.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data));
    }
}
