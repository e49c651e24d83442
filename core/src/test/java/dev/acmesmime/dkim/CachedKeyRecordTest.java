package dev.acmesmime.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.jdkim.api.PublicKeyRecord;
import org.apache.james.jdkim.tagvalue.PublicKeyRecordImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.testing.TestKeys;

/**
 * D12, D16: a key record kept across mails ({@link CachedKeyRecord}) answers every question
 * jDKIM asks of it exactly as jDKIM's own record does, each time it is asked, for records with
 * unusual g=, h=, k= and t= values too.
 */
class CachedKeyRecordTest {

    static String p;

    @BeforeAll
    static void key() throws Exception {
        String record = DkimKeys.keyRecord(TestKeys.rsa(2048).getPublic());
        p = record.substring(record.indexOf("p=") + 2);
    }

    private static List<Object> observe(PublicKeyRecord r) {
        List<Object> seen = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            seen.add(Fuzz.outcome(() -> r.getGranularityPattern().pattern()));
            seen.add(Fuzz.outcome(() -> String.valueOf(r.getAcceptableHashMethods())));
            seen.add(Fuzz.outcome(() -> String.valueOf(r.getAcceptableKeyTypes())));
            seen.add(Fuzz.outcome(() -> String.valueOf(r.getFlags())));
            for (String h : List.of("sha256", "SHA1", "md5", "")) {
                seen.add(Fuzz.outcome(() -> r.isHashMethodSupported(h)));
            }
            for (String k : List.of("rsa", "RSA", "ed25519")) {
                seen.add(Fuzz.outcome(() -> r.isKeyTypeSupported(k)));
            }
            seen.add(Fuzz.outcome(r::isTesting));
            seen.add(Fuzz.outcome(r::isDenySubdomains));
            seen.add(Fuzz.outcome(() -> String.valueOf(r.getPublicKey())));
        }
        return seen;
    }

    @Test
    void d12_keptKeyRecordAnswersAsJdkimsRecord() {
        List<String> variants = List.of("", "h=sha256; ", "h=; ", "h=sha1:sha256; ", "h=sha-256; ", "h= SHA256 ; ",
                "k=; ", "k=ed25519; ", "k=rsa:ed25519; ", "t=y; ", "t=s; ", "t=y:s; ", "t=; ", "t=x:y; ",
                "g=; ", "g=*; ", "g=user; ", "g=a*b; ", "g=a*b*c; ", "g=!bad; ", "h=bad_name; ");
        for (String v : variants) {
            String record = "v=DKIM1; " + v + "p=" + p;
            PublicKeyRecordImpl jdkim = new PublicKeyRecordImpl(record);
            assertThat(observe(new CachedKeyRecord(new PublicKeyRecordImpl(record)))).as(v).isEqualTo(observe(jdkim));
        }
        String broken = "v=DKIM1; p=AAAA";
        assertThat(observe(new CachedKeyRecord(new PublicKeyRecordImpl(broken)))).isEqualTo(observe(new PublicKeyRecordImpl(broken)));
    }
}
