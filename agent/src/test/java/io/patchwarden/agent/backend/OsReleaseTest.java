package io.patchwarden.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.api.common.OsFamily;
import org.junit.jupiter.api.Test;

class OsReleaseTest {

  @Test
  void ubuntuIsOfTheDebianFamily() {
    OsRelease os =
        OsRelease.parse(
            "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
                + "ID=ubuntu\nID_LIKE=debian\n");
    assertThat(os.name()).isEqualTo("Ubuntu");
    assertThat(os.versionId()).isEqualTo("22.04");
    assertThat(os.family()).isEqualTo(OsFamily.Debian);
  }

  @Test
  void rhelClonesAreOfTheRedHatFamily() {
    OsRelease rocky =
        OsRelease.parse(
            "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.4\"\nID=\"rocky\"\nID_LIKE=\"rhel centos"
                + " fedora\"\n");
    assertThat(rocky.family()).isEqualTo(OsFamily.RedHat);
    assertThat(OsRelease.parse("ID=fedora\nVERSION_ID=40\n").family()).isEqualTo(OsFamily.RedHat);
  }

  @Test
  void unknownDistributionsAreOther() {
    assertThat(OsRelease.parse("ID=alpine\n# comment\n").family()).isEqualTo(OsFamily.Other);
    assertThat(OsRelease.parse("").family()).isEqualTo(OsFamily.Other);
  }
}
