package io.patchwarden.agent.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchwarden.agent.FakeGateway;
import io.patchwarden.agent.backend.HostFacts;
import io.patchwarden.agent.gateway.GatewayRejectedException;
import io.patchwarden.agent.gateway.HttpGatewayClient;
import io.patchwarden.api.agent.EnrollRequest;
import io.patchwarden.api.common.OsFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {

  private static final HostFacts FACTS =
      new HostFacts("laptop-7", OsFamily.Debian, "Ubuntu", "24.04", "amd64", "Europe/Berlin");

  @TempDir Path dir;
  private FakeGateway gateway;

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway(60);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Enroller enroller(Path machineIdFile) {
    return new Enroller(HttpGatewayClient.create(gateway.uri(), null), machineIdFile);
  }

  @Test
  void storesTheCredentialReadableOnlyByItsOwner() throws Exception {
    Path machineId = dir.resolve("machine-id-system");
    Files.writeString(machineId, "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
    Path credentialFile = dir.resolve("etc/patchwarden/agent.json");

    AgentCredential credential =
        enroller(machineId)
            .enroll(
                gateway.uri(),
                FakeGateway.TOKEN,
                FACTS,
                Map.of("patchwarden.io/role", "laptop"),
                credentialFile,
                null);

    assertThat(Files.getPosixFilePermissions(credentialFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(credentialFile.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    AgentCredential stored = AgentCredential.read(credentialFile);
    assertThat(stored).isEqualTo(credential);
    assertThat(stored.gateway()).isEqualTo(gateway.uri().toString());
    assertThat(stored.namespace()).isEqualTo("acme");
    assertThat(stored.credential())
        .isEqualTo(FakeGateway.credentialOf("3d1219c7c4c5404aaa1f6d2a48adfda4"));
    assertThat(stored.toString()).doesNotContain(stored.credential());
    try (var files = Files.list(credentialFile.getParent())) {
      assertThat(files).containsExactly(credentialFile); // no temporary file left behind
    }

    EnrollRequest sent = gateway.enrollments.get("3d1219c7c4c5404aaa1f6d2a48adfda4");
    assertThat(sent.hostname()).isEqualTo("laptop-7");
    assertThat(sent.osName()).isEqualTo("Ubuntu");
    assertThat(sent.timeZone()).isEqualTo("Europe/Berlin");
    assertThat(sent.labels()).containsEntry("patchwarden.io/role", "laptop");
  }

  @Test
  void reEnrollingReplacesTheCredentialFileAndKeepsItPrivate() throws Exception {
    Path machineId = dir.resolve("machine-id-system");
    Files.writeString(machineId, "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
    Path credentialFile = dir.resolve("agent.json");
    Files.writeString(credentialFile, "{}");
    Files.setPosixFilePermissions(credentialFile, PosixFilePermissions.fromString("rw-r--r--"));

    enroller(machineId).enroll(gateway.uri(), FakeGateway.TOKEN, FACTS, null, credentialFile, null);

    assertThat(Files.getPosixFilePermissions(credentialFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(AgentCredential.read(credentialFile).credential()).startsWith("cred-");
  }

  @Test
  void withoutSystemMachineIdAGeneratedOneIsKept() throws Exception {
    Path credentialFile = dir.resolve("agent.json");
    Path missing = dir.resolve("no-machine-id");

    enroller(missing).enroll(gateway.uri(), FakeGateway.TOKEN, FACTS, null, credentialFile, null);
    enroller(missing).enroll(gateway.uri(), FakeGateway.TOKEN, FACTS, null, credentialFile, null);

    Path kept = dir.resolve("machine-id");
    String id = Files.readString(kept, StandardCharsets.UTF_8).strip();
    assertThat(gateway.enrollments).containsOnlyKeys(id); // the same id both times
    assertThat(Files.getPosixFilePermissions(kept))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anInvalidSystemMachineIdIsNotUsed() throws Exception {
    Path machineId = dir.resolve("machine-id-system");
    Files.writeString(machineId, "uninitialized\n".substring(0, 5));

    assertThat(MachineId.resolve(machineId, dir.resolve("machine-id"))).matches("[0-9a-f-]{36}");
  }

  @Test
  void aWrongTokenWritesNothing() {
    Path credentialFile = dir.resolve("agent.json");

    assertThatThrownBy(
            () ->
                enroller(dir.resolve("none"))
                    .enroll(gateway.uri(), "wrong", FACTS, null, credentialFile, null))
        .isInstanceOf(GatewayRejectedException.class);
    assertThat(credentialFile).doesNotExist();
  }

  @Test
  void readingAMissingFileSaysToEnroll() {
    assertThatThrownBy(() -> AgentCredential.read(dir.resolve("agent.json")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("enroll");
  }
}
