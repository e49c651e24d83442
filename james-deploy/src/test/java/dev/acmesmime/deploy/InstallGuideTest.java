package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** How {@link InstallGuide} reads install.md, on the page itself and on small pages. */
class InstallGuideTest {

    @Test
    void shouldGiveEachJarOfTheTableTheVersionThatFollowsIt() throws Exception {
        var jars = InstallGuide.fromBuild().bundleJars();

        assertThat(jars).containsEntry("acme-smime-core", Optional.empty())
                .containsEntry("okio", Optional.of("3.6.0")).containsEntry("okio-jvm", Optional.of("3.6.0"))
                .containsEntry("kotlin-stdlib-jdk7", Optional.of("1.8.21")).containsEntry("annotations", Optional.of("13.0"));
    }

    @Test
    void shouldReadAnIndentedFenceWithoutItsIndentation() {
        InstallGuide page = InstallGuide.of("# t\n- item:\n\n  ```properties\n  a=1\n    b=2\n  ```\n");

        assertThat(page.fencedBlock("properties", "a=1")).isEqualTo("a=1\n  b=2\n");
    }

    @Test
    void shouldRefuseAMarkerThatNoBlockOrTwoBlocksHold() {
        InstallGuide page = InstallGuide.of("```xml\n<a/>\n```\n```xml\n<a/>\n```\n");

        assertThatThrownBy(() -> page.fencedBlock("xml", "<a/>")).hasMessageContaining("has 2 ```xml blocks");
        assertThatThrownBy(() -> page.fencedBlock("xml", "<b/>")).hasMessageContaining("has 0 ```xml blocks");
    }

    @Test
    void shouldReadTheOrganisationRoutes() throws Exception {
        assertThat(InstallGuide.fromBuild().organisationRoutes())
                .isEqualTo("dev.acmesmime.james.webadmin.OrganisationRoutes,dev.acmesmime.james.webadmin.EnrolmentRoutes,"
                        + "dev.acmesmime.james.webadmin.GatewayRoutes");
    }
}
