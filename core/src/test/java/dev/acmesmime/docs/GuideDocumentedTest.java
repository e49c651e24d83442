package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.acmesmime.ca.Disposition;
import dev.acmesmime.ca.IssueRule;
import dev.acmesmime.enrolment.EnrolmentFailure;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.organisation.DecisionCode;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.EnrolmentStep;

/**
 * The mail admin's guide ({@code docs/guide/}) names everything an admin can set and every code an admin
 * can meet: each parameter a mailet or matcher reads is in the section of its class in
 * {@code reference.md}, so are each {@code acme-smime.properties} key and each WebAdmin route, and
 * {@code troubleshooting.md} explains every code of core's code enums. What the code reads is found in
 * the sources ({@link SourceScan}), so a new parameter, setting, route or code fails this test until the
 * guide has it. Each check is also run against a copy of the page with one name removed, to prove it
 * can fail.
 */
class GuideDocumentedTest {
    private static final Path GUIDE = SourceScan.ROOT.resolve("docs/guide");
    private static final String REFERENCE = SourceScan.read(GUIDE.resolve("reference.md"));
    private static final String TROUBLESHOOTING = SourceScan.read(GUIDE.resolve("troubleshooting.md"));

    @Test
    void everyMailetParameterIsInItsMailetsSectionOfTheReference() {
        Map<String, Set<String>> parameters = SourceScan.mailetParameters();

        assertThat(parameters).containsKeys("AcmeChallengeResponder", "AcmeResponseForwarder", "AcmeChallengeSigner",
                "AcmeVerdictHeader", "SmimeSign", "SmimeEncrypt", "SmimeHarvest", "SmimeDecrypt");
        assertThat(parameters.get("SmimeEncrypt")).containsExactly("heldRepository");
        assertThat(parameters.values().stream().mapToInt(Set::size).sum()).as("parameters found").isGreaterThanOrEqualTo(30);
        // read through MailetParameters.authenticity → keyResolver, and SpooledRetry.registration
        assertThat(parameters.get("AcmeChallengeResponder"))
                .contains("dkimKeyDirectory", "dnsServer", "smimeTrustAnchors", "leniency", "registrationDelaySeconds");
        assertThat(missingParameters(REFERENCE, parameters)).as("parameters missing from reference.md").isEmpty();

        String withoutOne = REFERENCE.replace("`registrationDelaySeconds`", "`registrationDelay`");
        assertThat(missingParameters(withoutOne, parameters)).containsExactly("AcmeChallengeResponder: registrationDelaySeconds");
    }

    @Test
    void everyMatcherHasASectionOfTheReference() {
        Set<String> matchers = SourceScan.matchers();

        assertThat(matchers).containsExactlyInAnyOrder("IsAcmeChallenge", "IsAcmeResponse");
        for (String matcher : matchers) {
            assertThat(section(REFERENCE, matcher)).as("section of " + matcher + " in reference.md").isNotEmpty();
        }
    }

    @Test
    void everySettingKeyIsInTheReference() {
        Set<String> keys = new TreeSet<>(SourceScan.settingKeys());
        keys.addAll(SourceScan.profileKeys());

        assertThat(keys).as("settings found").hasSizeGreaterThan(40)
                .contains("store.masterKeyFile", "forward.secretFile", "response.leaseSeconds", "webadmin.allowedOrigins",
                        "enrolment.userScanSeconds", "enrolment.profile.<name>.eab.hmacKeyFile");
        assertThat(missing(REFERENCE, keys)).as("settings missing from reference.md").isEmpty();
        assertThat(missing(REFERENCE.replace("`forward.jitter`", "`forward.jit`"), keys)).containsExactly("forward.jitter");
    }

    @Test
    void everyWebAdminRouteIsInTheReference() {
        Set<String> routes = SourceScan.routes();

        assertThat(routes).as("routes found").hasSizeGreaterThanOrEqualTo(13)
                .contains("PUT /acme-smime/pending-challenges/{mailbox}", "POST /acme-smime/challenges",
                        "GET /acme-smime/enrolments/{mailbox}/certificate");
        assertThat(missingRoutes(REFERENCE, routes)).as("routes missing from reference.md").isEmpty();
        String withoutOne = REFERENCE.replace("GET /acme-smime/audit/export", "GET /acme-smime/audit-export");
        assertThat(missingRoutes(withoutOne, routes)).containsExactly("GET /acme-smime/audit/export");
    }

    @Test
    void everyCodeOfCoresCodeEnumsIsExplainedInTroubleshooting() {
        Set<String> codes = codes();

        assertThat(codes).as("codes found").hasSizeGreaterThan(70).contains("dkim-misaligned", "awaiting-registration",
                "rate-limit-domain", "uncorrelated", "ca-refused", "challenge-registered", "posted");
        assertThat(missing(TROUBLESHOOTING, codes)).as("codes missing from troubleshooting.md").isEmpty();
        assertThat(missing(TROUBLESHOOTING.replace("`ca-refused`", "`ca-refuse`"), codes)).containsExactly("ca-refused");
    }

    /** The codes an admin meets in headers, audit records, WebAdmin answers and metric names. */
    private static Set<String> codes() {
        Set<String> codes = new TreeSet<>();
        Stream.of(FailureCode.values()).map(FailureCode::code).forEach(codes::add);
        Stream.of(DecisionCode.values()).map(DecisionCode::code).forEach(codes::add);
        Stream.of(IssueRule.values()).map(IssueRule::code).forEach(codes::add);
        Stream.of(Disposition.values()).map(Disposition::code).forEach(codes::add);
        Stream.of(EnrolmentFailure.values()).map(EnrolmentFailure::code).forEach(codes::add);
        Stream.of(AuditEvent.values()).map(AuditEvent::value).forEach(codes::add);
        Stream.of(GatewayCode.values()).map(GatewayCode::code).forEach(codes::add);
        // as GET /acme-smime/enrolments writes a step: challenge-registered
        Stream.of(EnrolmentStep.values()).map(s -> s.name().toLowerCase().replace('_', '-')).forEach(codes::add);
        return codes;
    }

    private static List<String> missingParameters(String page, Map<String, Set<String>> parameters) {
        List<String> missing = new ArrayList<>();
        parameters.forEach((mailet, names) -> {
            String section = section(page, mailet);
            names.stream().filter(n -> !section.contains("`" + n + "`")).forEach(n -> missing.add(mailet + ": " + n));
        });
        return missing;
    }

    private static List<String> missing(String page, Set<String> names) {
        return names.stream().filter(n -> !page.contains("`" + n + "`")).toList();
    }

    private static List<String> missingRoutes(String page, Set<String> routes) {
        return routes.stream()
                .filter(r -> !Pattern.compile("`" + Pattern.quote(r) + "[`?\\[]").matcher(page).find()).toList();
    }

    /** The text under the heading that names {@code name} in backquotes, up to the next heading of any level. */
    private static String section(String page, String name) {
        var heading = Pattern.compile("(?m)^#{2,4} .*`" + Pattern.quote(name) + "`.*$").matcher(page);
        if (!heading.find()) {
            return "";
        }
        var next = Pattern.compile("(?m)^#{1,4} ").matcher(page);
        int end = next.find(heading.end()) ? next.start() : page.length();
        return page.substring(heading.end(), end);
    }
}
