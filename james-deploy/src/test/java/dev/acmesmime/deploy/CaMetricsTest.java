package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.challenge;
import static dev.acmesmime.deploy.CaMails.text;
import static dev.acmesmime.deploy.CaMails.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.deploy.CaJames.Issued;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * Issue 18 on the CA's real James (conf/ca): known numbers of valid and forged mails over SMTP move
 * the plugin's counters at WebAdmin's {@code /metrics} by exactly that much, per code, and the
 * outbox gauges follow the queue. The James is shared with the other CA scenario classes, so the
 * counters are compared before and after each scenario, and the gauges with the outbox WebAdmin lists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaMetricsTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("native");

    @Test
    @Order(1)
    void knownChallengesAndResponses_moveEachCounterByExactlyTheirNumber() throws Exception {
        Map<String, Double> before = scrape();
        String user = "mina@example.test";
        Issued c = JAMES.challenge(user, 'n');
        JAMES.send(CA, "nils@example.test", challenge("nils@example.test", "<c-nils@ca.example>", token('o'), false));
        JAMES.sendResponse(user, c.response("<m-unsigned-1@example.test>"), null);
        JAMES.sendResponse(user, c.response("<m-unsigned-2@example.test>"), null);
        // signed, but To: another challenge's address than the one this challenge gave
        JAMES.sendResponse(user, c.response("<m-wrong-to@example.test>").replace("To: " + CA,
                "To: acme+zz@ca.example"), "example.test");
        JAMES.sendResponse(user, c.response("<m-valid@example.test>"), "example.test");

        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .anyMatch(a -> a.path("event").asText().equals("forward-delivered")));
        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .filter(a -> a.path("event").asText().startsWith("response-")).count() == 4);
        await().atMost(WAIT).until(() -> !JAMES.audit("address=nils@example.test").isEmpty());
        Map<String, Double> after = scrape();
        assertThat(JAMES.audit("address=" + user)).extracting(a -> a.path("event").asText() + " " + a.path("outcome")
                .asText()).as("the scenario the counters count").containsExactlyInAnyOrder("challenge-signed signed",
                "response-rejected dkim-none", "response-rejected dkim-none", "response-rejected to",
                "response-forwarded forwarded", "forward-delivered valid");

        String refused = MetricNames.CA_RESPONSES_REFUSED;
        Map<String, Double> expected = Map.of(
                MetricNames.CA_CHALLENGES_SIGNED, 1.0,
                MetricNames.CA_CHALLENGES_HELD, 1.0,
                MetricNames.byCode(MetricNames.CA_CHALLENGES_HELD, FailureCode.AUTO_SUBMITTED), 1.0,
                MetricNames.child(MetricNames.CA_RESPONSES, "rejected"), 3.0,
                refused, 3.0,
                MetricNames.byCode(refused, FailureCode.DKIM_NONE), 2.0,
                MetricNames.byCode(refused, FailureCode.TO), 1.0,
                MetricNames.child(MetricNames.CA_RESPONSES, "forwarded"), 1.0,
                MetricNames.CA_FORWARD_ATTEMPTS, 1.0);
        Map<String, Double> got = new HashMap<>();
        expected.keySet().forEach(name -> got.put(name, delta(before, after, counter(name))));
        assertThat(got).isEqualTo(expected);
        // a meter James has not created yet is not printed: no failure in this James at all is zero too
        String failures = counter(MetricNames.CA_FORWARD_FAILURES);
        assertThat(after.getOrDefault(failures, 0.0) - before.getOrDefault(failures, 0.0)).isZero();
        assertThat(delta(before, after, prometheus(MetricNames.CA_FORWARD_LATENCY) + "_count")).isEqualTo(1.0);
        assertThat(after).containsEntry(prometheus(MetricNames.CA_OUTBOX_DEPTH),
                (double) outboxSize());
    }

    /** Last: its result waits out a back-off of 30 s or more before it reaches the ACME server. */
    @Test
    @Order(2)
    void aRefusingAcmeServer_countsTheFailedAttempt_andTheOutboxGaugesShowTheWaitingResult() throws Exception {
        String user = "olga@example.test";
        Map<String, Double> before = scrape();
        JAMES.acme().status = 503;
        try {
            Issued c = JAMES.challenge(user, 'q');
            JAMES.sendResponse(user, c.response("<m-olga@example.test>"), "example.test");
            await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                    .anyMatch(a -> a.path("event").asText().equals("forward-attempt-failed")));
            Map<String, Double> after = scrape();

            assertThat(delta(before, after, counter(MetricNames.CA_FORWARD_FAILURES))).isEqualTo(1.0);
            assertThat(delta(before, after, counter(MetricNames.CA_FORWARD_ATTEMPTS))).isEqualTo(1.0);
            assertThat(delta(before, after, prometheus(MetricNames.CA_OUTBOX_DEPTH))).isEqualTo(1.0);
            assertThat(after.get(prometheus(MetricNames.CA_OUTBOX_DEPTH)))
                    .isEqualTo((double) outboxSize());
            assertThat(after.get(prometheus(MetricNames.CA_OUTBOX_OLDEST_AGE))).isGreaterThanOrEqualTo(0.0);
        } finally {
            JAMES.acme().status = 200;
        }
    }

    /**
     * WebAdmin's {@code /metrics} as sample name to value. James 3.8.1 prints {@code .} and {@code -}
     * as {@code _}; a counter (James's {@code MetricFactory.generate}, a Dropwizard meter) as
     * {@code <name>_total}, type counter; a timer as a summary in seconds with {@code <name>_count}; a
     * gauge under its name (scraped from a real James: {@code imapConnections_total},
     * {@code spoolProcessing_count}, {@code spoolProcessing_inFlight}).
     */
    private static Map<String, Double> scrape() throws Exception {
        String text = JAMES.webAdmin().getOk("/metrics");
        Map<String, Double> samples = new HashMap<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int space = l.lastIndexOf(' ');
            samples.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
        });
        return samples;
    }

    /** Every waiting item, pending or failed, as WebAdmin lists them: the gauge's definition. */
    private static int outboxSize() throws Exception {
        return CaJames.JSON.readTree(JAMES.webAdmin().getOk("/acme-smime/outbox")).size();
    }

    private static String counter(String name) {
        return prometheus(name) + "_total";
    }

    private static String prometheus(String name) {
        return name.replace('.', '_').replace('-', '_');
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).as("scraped samples").containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}
