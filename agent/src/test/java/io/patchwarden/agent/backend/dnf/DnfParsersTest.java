package io.patchwarden.agent.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.patchwarden.agent.Fixtures;
import io.patchwarden.api.common.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnfParsersTest {

  @Test
  void checkUpdateListsTheNewestVersionsAndJoinsWrappedLines() {
    List<CheckUpdateParser.Available> available =
        CheckUpdateParser.parse(Fixtures.read("dnf/rhel9-check-update.txt"));

    assertThat(available)
        .extracting(a -> a.nevra().toString())
        .containsExactly(
            "NetworkManager-1:1.46.0-19.el9_4.x86_64",
            "curl-7.76.1-29.el9_4.1.x86_64",
            "kernel-5.14.0-427.42.1.el9_4.x86_64",
            "kernel-core-5.14.0-427.42.1.el9_4.x86_64",
            "libcurl-7.76.1-29.el9_4.1.x86_64",
            "openssl-1:3.0.7-28.el9_4.x86_64",
            "openssl-libs-1:3.0.7-28.el9_4.x86_64",
            "python3-unbound-extra-long-package-name-1.16.2-3.el9_3.5.x86_64",
            "tzdata-2024b-2.el9.noarch",
            "docker-ce-3:27.3.1-1.el9.x86_64");
    assertThat(available.get(0).repository()).isEqualTo("rhel-9-for-x86_64-baseos-rpms");
    assertThat(available.get(9).repository()).isEqualTo("docker-ce-stable");
  }

  @Test
  void updateinfoListOfDnf4FoldsSeverityIntoTheType() {
    List<UpdateinfoListParser.Entry> entries =
        UpdateinfoListParser.parse(Fixtures.read("dnf/rhel9-updateinfo-list.txt"));

    assertThat(entries).hasSize(10);
    assertThat(entries.get(0))
        .isEqualTo(
            new UpdateinfoListParser.Entry(
                "RHSA-2024:8856",
                AdvisoryType.SECURITY,
                Severity.High,
                Nevra.parse("kernel-5.14.0-427.42.1.el9_4.x86_64").orElseThrow()));
    assertThat(entries)
        .filteredOn(e -> e.advisory().equals("RHBA-2024:8150"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(AdvisoryType.BUGFIX);
              assertThat(e.severity()).isEqualTo(Severity.Unspecified);
            });
  }

  @Test
  void unknownSecuritySeverityIsUnspecifiedNotLow() {
    List<UpdateinfoListParser.Entry> entries =
        UpdateinfoListParser.parse(Fixtures.read("dnf/fedora40-updateinfo-list.txt"));

    assertThat(entries)
        .extracting(
            UpdateinfoListParser.Entry::advisory,
            UpdateinfoListParser.Entry::type,
            UpdateinfoListParser.Entry::severity)
        .containsExactly(
            tuple("FEDORA-2024-3b1c4e8a07", AdvisoryType.SECURITY, Severity.Unspecified),
            tuple("FEDORA-2024-8d6f2c1b39", AdvisoryType.SECURITY, Severity.Medium),
            tuple("FEDORA-2024-8d6f2c1b39", AdvisoryType.SECURITY, Severity.Medium),
            tuple("FEDORA-2024-a6e2f11d4c", AdvisoryType.BUGFIX, Severity.Unspecified),
            tuple("FEDORA-2024-c3990e02cf", AdvisoryType.ENHANCEMENT, Severity.Unspecified),
            tuple("FEDORA-2024-0f1e2d3c4b", AdvisoryType.NEWPACKAGE, Severity.Unspecified));
  }

  @Test
  void updateinfoListOfDnf5HasSeparateColumns() {
    List<UpdateinfoListParser.Entry> entries =
        UpdateinfoListParser.parse(Fixtures.read("dnf/dnf5-advisory-list.txt"));

    assertThat(entries).hasSize(3); // the header is no entry
    assertThat(entries.get(0).severity()).isEqualTo(Severity.Medium);
    assertThat(entries.get(0).nevra().toString()).isEqualTo("curl-8.9.1-2.fc41.x86_64");
    assertThat(entries.get(1).severity()).isEqualTo(Severity.Unspecified);
    assertThat(entries.get(2).type()).isEqualTo(AdvisoryType.BUGFIX);
  }

  @Test
  void updateinfoInfoOfDnf4GivesTypeSeverityDateAndReferencedCves() {
    Map<String, UpdateinfoInfoParser.Advisory> advisories =
        UpdateinfoInfoParser.parse(Fixtures.read("dnf/rhel9-updateinfo-info.txt"));

    assertThat(advisories)
        .containsOnlyKeys(
            "RHSA-2024:8856",
            "RHSA-2024:7848",
            "RHSA-2024:6185",
            "RHBA-2024:8420",
            "RHBA-2024:8150",
            "RHEA-2024:4410",
            "RHSA-2024:5101");
    UpdateinfoInfoParser.Advisory kernel = advisories.get("RHSA-2024:8856");
    assertThat(kernel.type()).isEqualTo(AdvisoryType.SECURITY);
    assertThat(kernel.severity()).isEqualTo(Severity.High);
    assertThat(kernel.issued()).isEqualTo("2024-11-05");
    // CVE-2023-0001 is only mentioned in the description, it is not fixed here.
    assertThat(kernel.cves()).containsExactly("CVE-2024-36971", "CVE-2024-41093");
    assertThat(advisories.get("RHSA-2024:5101").severity()).isEqualTo(Severity.Critical);
    assertThat(advisories.get("RHSA-2024:5101").cves())
        .containsExactlyInAnyOrder("CVE-2024-6387", "CVE-2024-39472");
    assertThat(advisories.get("RHBA-2024:8420").severity()).isEqualTo(Severity.Unspecified);
    assertThat(advisories.get("RHBA-2024:8420").cves()).isEmpty();
    assertThat(advisories.get("RHEA-2024:4410").type()).isEqualTo(AdvisoryType.ENHANCEMENT);
  }

  @Test
  void updateinfoInfoOfDnf5ReadsCvesFromReferences() {
    Map<String, UpdateinfoInfoParser.Advisory> advisories =
        UpdateinfoInfoParser.parse(Fixtures.read("dnf/dnf5-advisory-info.txt"));

    assertThat(advisories).containsOnlyKeys("FEDORA-2024-8d6f2c1b39", "FEDORA-2024-a6e2f11d4c");
    UpdateinfoInfoParser.Advisory curl = advisories.get("FEDORA-2024-8d6f2c1b39");
    assertThat(curl.type()).isEqualTo(AdvisoryType.SECURITY); // not the reference's "cve"
    assertThat(curl.severity()).isEqualTo(Severity.Medium);
    assertThat(curl.issued()).isEqualTo("2024-10-02");
    assertThat(curl.cves()).containsExactly("CVE-2024-8096");
    assertThat(advisories.get("FEDORA-2024-a6e2f11d4c").type()).isEqualTo(AdvisoryType.BUGFIX);
  }
}
