package io.patchwarden.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchwarden.agent.FakeGateway;
import io.patchwarden.agent.Json;
import io.patchwarden.agent.enrollment.AgentCredential;
import io.patchwarden.api.agent.AgentInventory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @TempDir Path dir;
  private FakeGateway gateway;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeGateway(60);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void scanPrintsTheInventoryAsJson() throws Exception {
    assertThat(run("scan", "--backend", "simulated")).isZero();

    AgentInventory inventory = Json.MAPPER.readValue(out.toString(), AgentInventory.class);
    assertThat(inventory.osFamily()).isNotNull();
    assertThat(inventory.kernelVersion()).isNotBlank();
  }

  @Test
  void enrollThenRunOnce() throws Exception {
    Path machineId = dir.resolve("machine-id");
    Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
    Path credentialFile = dir.resolve("conf/agent.json");

    int enrolled =
        run(
            "enroll",
            "--gateway",
            gateway.uri().toString(),
            "--token",
            FakeGateway.TOKEN,
            "--labels",
            "patchwarden.io/role=server,patchwarden.io/site=berlin",
            "--credential-file",
            credentialFile.toString(),
            "--machine-id-file",
            machineId.toString());

    assertThat(enrolled).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Enrolled as acme/");
    assertThat(Files.getPosixFilePermissions(credentialFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(AgentCredential.read(credentialFile).gateway()).isEqualTo(gateway.uri().toString());
    assertThat(gateway.enrollments.get("0123456789abcdef0123456789abcdef").labels())
        .containsEntry("patchwarden.io/site", "berlin");

    int once =
        run(
            "run",
            "--once",
            "--backend",
            "simulated",
            "--credential-file",
            credentialFile.toString());

    assertThat(once).as(err.toString()).isZero();
    assertThat(out.toString()).contains("CHECKED_IN");
    assertThat(gateway.checkins).containsOnlyKeys("0123456789abcdef0123456789abcdef");
  }

  @Test
  void enrollRefusesPlainHttpToAnotherHostBeforeSendingTheToken() throws Exception {
    Path machineId = dir.resolve("machine-id");
    Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
    Path credentialFile = dir.resolve("conf/agent.json");

    int code =
        run(
            "enroll",
            "--gateway",
            "http://patchwarden.example.com:8080",
            "--token",
            FakeGateway.TOKEN,
            "--credential-file",
            credentialFile.toString(),
            "--machine-id-file",
            machineId.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--gateway", "plain HTTP", "--insecure-http");
    assertThat(credentialFile).doesNotExist();
  }

  @Test
  void runWithoutEnrollmentFailsWithAHint() {
    assertThat(run("run", "--once", "--credential-file", dir.resolve("none.json").toString()))
        .isEqualTo(Main.FAILED);
    assertThat(err.toString()).contains("enroll this machine first");
  }

  @Test
  void simulatePrintsStatistics() throws Exception {
    int code =
        run(
            "simulate",
            "--count",
            "20",
            "--gateway",
            gateway.uri().toString(),
            "--token",
            FakeGateway.TOKEN,
            "--seed",
            "9",
            "--duration",
            "2s",
            "--ramp-up",
            "200ms",
            "--progress",
            "0",
            "--json");

    assertThat(code).as(err.toString()).isZero();
    var stats = Json.MAPPER.readTree(out.toString());
    assertThat(stats.get("endpoints").asInt()).isEqualTo(20);
    assertThat(stats.get("enrolled").asInt()).isEqualTo(20);
    assertThat(stats.get("checkinsOk").asLong()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void usageErrorsAreReported() {
    assertThat(run("scan", "--backend", "yum")).isEqualTo(2);
    assertThat(err.toString()).contains("yum");
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("patchwarden-agent ");
  }
}
