package io.patchwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.patchwarden.operator.node.NodeJobs;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container images (docs/install.md, "Container images"), checked without a container engine —
 * CI has none: the Dockerfiles are read as text and held against what they must agree with (the
 * shade plugin's jar, the Helm chart's user and ports, the modules Maven builds, .dockerignore, the
 * node Jobs' reboot script, the docs), and the node patch image's patch-host script runs against a
 * fake host root with a fake chroot.
 */
class DockerfileTest {
  private static final Path ROOT = Path.of("..");
  private static final Path OPERATOR_DOCKERFILE = ROOT.resolve("Dockerfile");
  private static final Path NODE_PATCH_DIR = ROOT.resolve("images/node-patch");
  private static final Path NODE_PATCH_DOCKERFILE = NODE_PATCH_DIR.resolve("Dockerfile");
  private static final Path PATCH_HOST = NODE_PATCH_DIR.resolve("patch-host");
  private static final Path IMAGE_SCRIPT = ROOT.resolve("hack/image.sh");
  private static final Path CHART = ROOT.resolve("helm/patchwarden");
  private static final Path INSTALL_DOC = ROOT.resolve("docs/install.md");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the Debian packages put what the node Jobs call. */
  private static final Map<String, String> PACKAGE_OF_TOOL =
      Map.of("chroot", "coreutils", "sleep", "coreutils", "nsenter", "util-linux");

  /** JVM flags that would override the chart's JAVA_TOOL_OPTIONS if the image set them. */
  private static final List<String> HEAP_FLAGS =
      List.of("-Xmx", "-Xms", "-XX:MaxRAM", "-XX:InitialRAM", "-XX:MinRAM", "-XX:MaxHeapSize");

  // ---- The operator image ----------------------------------------------------------------------

  @Test
  void operatorImageIsMultiStageAndShipsOnlyTheJar() throws IOException {
    Dockerfile df = Dockerfile.parse(OPERATOR_DOCKERFILE);
    assertThat(df.stages()).as("stages of %s", OPERATOR_DOCKERFILE).hasSizeGreaterThanOrEqualTo(2);
    Stage build = buildStage(df);
    Stage runtime = df.last();
    assertThat(runtime)
        .as("the final stage is the runtime, not the Maven build")
        .isNotSameAs(build);
    assertThat(runtime.image()).isNotEqualTo(build.image());
    assertThat(df.resolve(runtime.image()))
        .as("runtime base image")
        .isNotEqualTo(df.resolve(build.image()))
        .doesNotContainIgnoringCase("maven");
    assertThat(runtime.all("RUN")).as("RUN in the runtime stage (no shell there)").isEmpty();
    assertThat(runtime.all("ADD")).isEmpty();
    List<Instruction> copies = runtime.all("COPY");
    assertThat(copies).as("the runtime stage copies the jar and nothing else").hasSize(1);
    assertThat(copies.get(0).flag("from")).contains(build.name());
  }

  @Test
  void operatorImageCopiesTheJarTheShadePluginProducesAndRunsIt() throws Exception {
    Dockerfile df = Dockerfile.parse(OPERATOR_DOCKERFILE);
    Stage build = buildStage(df);
    Instruction copy = df.last().first("COPY").orElseThrow();
    List<String> paths = copy.words();
    assertThat(paths).hasSize(2);
    String workdir = build.first("WORKDIR").orElseThrow().args();
    String jar = shadedJar(ROOT.resolve("operator/pom.xml"));
    assertThat(paths.get(0))
        .as("COPY --from=%s source: the jar of operator/pom.xml's shade plugin", build.name())
        .isEqualTo(workdir.replaceAll("/$", "") + "/operator/" + jar);
    String inImage = paths.get(1);
    assertThat(inImage).startsWith("/").endsWith(".jar");

    List<String> entrypoint = execForm(df.last(), "ENTRYPOINT");
    assertThat(entrypoint.get(0)).as("ENTRYPOINT runs java").matches("(.*/)?java");
    int jarFlag = entrypoint.indexOf("-jar");
    assertThat(jarFlag).as("ENTRYPOINT %s uses -jar", entrypoint).isPositive();
    assertThat(entrypoint.get(jarFlag + 1)).as("the jar ENTRYPOINT runs").isEqualTo(inImage);
    assertThat(df.last().all("CMD")).as("CMD (arguments of the operator: none)").isEmpty();
    for (String arg : entrypoint) {
      for (String flag : HEAP_FLAGS) {
        assertThat(arg)
            .as(
                "ENTRYPOINT must leave heap sizing to JAVA_TOOL_OPTIONS (the chart's javaToolOptions)")
            .doesNotStartWith(flag);
      }
    }
    assertThat(df.last().all("ENV"))
        .as("no JAVA_TOOL_OPTIONS/JAVA_OPTS baked into the image")
        .noneMatch(i -> i.args().contains("JAVA_TOOL_OPTIONS") || i.args().contains("JAVA_OPTS"));
  }

  @Test
  void operatorImageRunsAsTheChartsNonRootUser() throws IOException {
    Stage runtime = Dockerfile.parse(OPERATOR_DOCKERFILE).last();
    List<Instruction> users = runtime.all("USER");
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    String user = users.get(users.size() - 1).args();
    Matcher m = Pattern.compile("(\\d+):(\\d+)").matcher(user);
    assertThat(m.matches())
        .as("USER %s must be numeric UID:GID (runAsNonRoot cannot check a name)", user)
        .isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("UID").isNotZero();
    assertThat(Integer.parseInt(m.group(2))).as("GID").isNotZero();
    assertThat(chartValues("runAsUser"))
        .as("runAsUser in helm/patchwarden and deploy/")
        .containsOnly(m.group(1));
    assertThat(chartValues("runAsGroup"))
        .as("runAsGroup in helm/patchwarden and deploy/")
        .containsOnly(m.group(2));
  }

  @Test
  void operatorImageExposesTheChartsPorts() throws IOException {
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    Set<String> chartPorts =
        Set.of(
            values.path("management").path("port").asText(),
            values.path("gateway").path("port").asText());
    assertThat(chartPorts).doesNotContain("");
    Set<String> exposed = new TreeSet<>();
    for (Instruction expose : Dockerfile.parse(OPERATOR_DOCKERFILE).last().all("EXPOSE")) {
      for (String port : expose.words()) {
        exposed.add(port.replaceFirst("/tcp$", ""));
      }
    }
    assertThat(exposed)
        .as("EXPOSE vs management.port and gateway.port")
        .isEqualTo(new TreeSet<>(chartPorts));
  }

  @Test
  void buildStageCachesDependenciesFromThePomsAndBuildsTheOperatorModules() throws Exception {
    Stage build = buildStage(Dockerfile.parse(OPERATOR_DOCKERFILE));
    List<Instruction> steps = build.instructions();
    Map<String, String> modules = modules(); // directory -> artifactId
    Set<String> needed = operatorModules(modules);
    assertThat(needed).contains("api", "operator");

    int firstSources = -1;
    int dependencyRun = -1;
    Set<String> pomsBeforeDownload = new LinkedHashSet<>();
    Set<String> sources = new LinkedHashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Instruction step = steps.get(i);
      if (step.keyword().equals("COPY")) {
        List<String> words = step.words();
        for (String src : words.subList(0, words.size() - 1)) {
          if (src.endsWith("pom.xml") && dependencyRun < 0) {
            pomsBeforeDownload.add(src);
          }
          if (src.contains("/src")) {
            sources.add(src);
            firstSources = firstSources < 0 ? i : firstSources;
          }
        }
      } else if (step.keyword().equals("RUN") && step.args().contains("mvn") && dependencyRun < 0) {
        dependencyRun = i;
      }
    }
    assertThat(dependencyRun).as("a RUN mvn that downloads the dependencies").isNotNegative();
    assertThat(firstSources)
        .as("sources are copied after the dependency download, so that layer stays cached")
        .isGreaterThan(dependencyRun);
    assertThat(steps.get(dependencyRun).args()).doesNotContain(" package");

    Set<String> poms = new TreeSet<>(List.of("pom.xml"));
    modules.keySet().forEach(module -> poms.add(module + "/pom.xml"));
    assertThat(pomsBeforeDownload)
        .as("every module of the root pom needs its pom in the image (Maven reads them all)")
        .containsExactlyInAnyOrderElementsOf(poms);
    for (String module : needed) {
      assertThat(sources)
          .as("module %s is built for the operator (-am), so its main sources are copied", module)
          .contains(module + "/src/main");
    }
    if (Files.exists(ROOT.resolve(".mvn"))) {
      assertThat(steps)
          .as(".mvn/ configures the build: copy it")
          .anyMatch(s -> s.args().contains(".mvn"));
    }

    Instruction packageRun =
        build.all("RUN").stream()
            .filter(r -> r.args().contains("mvn") && r.args().contains(" package"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RUN mvn ... package in the build stage"));
    assertThat(packageRun.args()).contains("-pl operator", "-am", "-DskipTests");
  }

  @Test
  void dockerignoreAdmitsWhatTheBuildCopiesAndNothingBulky() throws IOException {
    DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));
    for (Stage stage : Dockerfile.parse(OPERATOR_DOCKERFILE).stages()) {
      for (Instruction copy : stage.all("COPY")) {
        if (copy.flag("from").isPresent()) {
          continue;
        }
        List<String> words = copy.words();
        for (String src : words.subList(0, words.size() - 1)) {
          Path path = ROOT.resolve(src);
          assertThat(path).as("COPY source %s", src).exists();
          assertThat(ignore.excludes(src))
              .as(".dockerignore excludes COPY source %s", src)
              .isFalse();
          if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path)) {
              files
                  .filter(Files::isRegularFile)
                  .map(f -> ROOT.relativize(f).toString().replace(File.separatorChar, '/'))
                  .forEach(
                      f ->
                          assertThat(ignore.excludes(f))
                              .as(".dockerignore excludes %s", f)
                              .isFalse());
            }
          }
        }
      }
    }
    for (String bulky :
        List.of(
            ".git/config",
            "operator/target/patchwarden-operator.jar",
            "target/x",
            "operator/src/test/java/X.java",
            "deploy/patchwarden.yaml",
            "helm/patchwarden/values.yaml",
            ".idea/workspace.xml")) {
      assertThat(ignore.excludes(bulky))
          .as(".dockerignore leaves %s out of the context", bulky)
          .isTrue();
    }
  }

  // ---- Both images -----------------------------------------------------------------------------

  @Test
  void baseImagesComeFromArgsPinnedByTag() throws IOException {
    for (Path file : List.of(OPERATOR_DOCKERFILE, NODE_PATCH_DOCKERFILE)) {
      Dockerfile df = Dockerfile.parse(file);
      Set<String> stageNames = new LinkedHashSet<>();
      for (Stage stage : df.stages()) {
        String image = stage.image();
        if (stageNames.contains(image)) {
          continue;
        }
        Matcher arg = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(image);
        assertThat(arg.matches())
            .as("%s: FROM %s must be a build argument, so a digest can be passed", file, image)
            .isTrue();
        String value = df.globalArgs().get(arg.group(1));
        assertThat(value)
            .as("%s: default of ARG %s (before the first FROM)", file, arg.group(1))
            .isNotBlank();
        String lastPart = value.substring(value.lastIndexOf('/') + 1);
        assertThat(lastPart)
            .as("%s: %s is pinned by tag or digest", file, value)
            .containsAnyOf(":", "@sha256:");
        assertThat(value).as("%s: %s", file, value).doesNotEndWith(":latest");
        if (stage.name() != null) {
          stageNames.add(stage.name());
        }
      }
    }
  }

  @Test
  void imagesCarryOciLabels() throws IOException {
    for (Path file : List.of(OPERATOR_DOCKERFILE, NODE_PATCH_DOCKERFILE)) {
      String labels =
          Dockerfile.parse(file).last().all("LABEL").stream()
              .map(Instruction::args)
              .collect(Collectors.joining(" "));
      for (String key :
          List.of("title", "description", "version", "revision", "created", "source")) {
        assertThat(labels).as("%s labels", file).contains("org.opencontainers.image." + key + "=");
      }
      assertThat(labels).contains("${VERSION}", "${REVISION}");
    }
  }

  // ---- The node patch image --------------------------------------------------------------------

  @Test
  void nodePatchImageHasWhatTheNodeJobsRun() throws Exception {
    Dockerfile df = Dockerfile.parse(NODE_PATCH_DOCKERFILE);
    assertThat(df.resolve(df.last().image())).as("node patch base image").startsWith("debian:");
    String installs =
        df.last().all("RUN").stream()
            .map(Instruction::args)
            .filter(run -> run.contains("apt-get install"))
            .collect(Collectors.joining(" "));
    assertThat(installs)
        .as("apt-get install in %s", NODE_PATCH_DOCKERFILE)
        .contains("--no-install-recommends");
    Set<String> packages = new TreeSet<>(Arrays.asList(installs.split("[\\s\\\\&;]+")));
    assertThat(packages).contains("util-linux", "coreutils");

    // The reboot Job runs the operator's own script with this image: what it calls must be here.
    Field field = NodeJobs.class.getDeclaredField("REBOOT_SCRIPT");
    field.setAccessible(true);
    String rebootScript = (String) field.get(null);
    int found = 0;
    for (Map.Entry<String, String> tool : PACKAGE_OF_TOOL.entrySet()) {
      if (Pattern.compile("\\b" + tool.getKey() + "\\b").matcher(rebootScript).find()) {
        assertThat(packages)
            .as(
                "the reboot script calls %s, so the image installs %s",
                tool.getKey(), tool.getValue())
            .contains(tool.getValue());
        found++;
      }
    }
    assertThat(found).as("tools of NodeJobs.REBOOT_SCRIPT recognised").isGreaterThanOrEqualTo(2);
    assertThat(df.last().all("USER"))
        .as("the node Jobs chroot and nsenter: the image runs as root")
        .allMatch(u -> u.args().equals("0") || u.args().equals("root"));
  }

  @Test
  void nodePatchImageRunsPatchHost() throws IOException {
    Stage stage = Dockerfile.parse(NODE_PATCH_DOCKERFILE).last();
    Instruction copy =
        stage.all("COPY").stream()
            .filter(c -> c.words().get(0).equals("patch-host"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("COPY patch-host in " + NODE_PATCH_DOCKERFILE));
    assertThat(PATCH_HOST).isRegularFile();
    assertThat(copy.flag("chmod")).as("COPY --chmod of patch-host").contains("0755");
    String inImage = copy.words().get(1);
    assertThat(execForm(stage, "ENTRYPOINT")).containsExactly(inImage);
    assertThat(Files.readString(PATCH_HOST)).startsWith("#!/bin/sh\n");
  }

  @Test
  void scriptsAreValidShell() throws Exception {
    assumeTrue(new File("/bin/sh").canExecute(), "no /bin/sh");
    assertThat(run(List.of("/bin/sh", "-n", PATCH_HOST.toString()), Map.of()).status())
        .as("sh -n %s", PATCH_HOST)
        .isZero();
    Optional<String> bash = onPath("bash");
    if (bash.isPresent()) {
      assertThat(run(List.of(bash.get(), "-n", IMAGE_SCRIPT.toString()), Map.of()).status())
          .as("bash -n %s", IMAGE_SCRIPT)
          .isZero();
      assertThat(run(List.of(bash.get(), "-n", PATCH_HOST.toString()), Map.of()).status()).isZero();
    }
  }

  // ---- make image, hack/image.sh, docs ---------------------------------------------------------

  @Test
  void makeImageTagsWithThePomVersionAndTheChartsRepository() throws Exception {
    Optional<String> bash = onPath("bash");
    assumeTrue(bash.isPresent(), "no bash");
    Result tags = run(List.of(bash.get(), IMAGE_SCRIPT.toString(), "tags"), Map.of());
    assertThat(tags.status()).as("hack/image.sh tags: %s", tags.output()).isZero();
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    assertThat(tags.output().lines().toList())
        .containsExactly(
            values.path("image").path("repository").asText() + ":" + projectVersion(),
            "ghcr.io/patchwarden/node-patch:" + projectVersion());

    Result noEngine =
        run(
            List.of(bash.get(), IMAGE_SCRIPT.toString(), "operator"),
            Map.of("CONTAINER_ENGINE", "patchwarden-no-such-engine"));
    assertThat(noEngine.status()).as("without a container engine").isEqualTo(1);
    assertThat(noEngine.output()).contains("patchwarden-no-such-engine");
  }

  @Test
  void makeImageIsATargetButNoPartOfTheTests() throws IOException {
    String makefile = Files.readString(ROOT.resolve("Makefile"));
    Map<String, List<String>> prerequisites = new HashMap<>();
    Matcher rule = Pattern.compile("(?m)^([a-z][a-z-]*):([^=\\n]*?)(?:##.*)?$").matcher(makefile);
    while (rule.find()) {
      prerequisites.put(rule.group(1), Arrays.asList(rule.group(2).trim().split("\\s+")));
    }
    assertThat(prerequisites)
        .containsKeys("image", "image-node-patch", "test", "test-fast", "build");
    for (String target : List.of("test", "test-fast", "build")) {
      assertThat(prerequisites.get(target))
          .as("prerequisites of %s", target)
          .doesNotContain("image", "image-node-patch");
    }
    Matcher phony = Pattern.compile("(?m)^\\.PHONY:(.*)$").matcher(makefile);
    assertThat(phony.find()).isTrue();
    assertThat(phony.group(1).trim().split("\\s+")).contains("image", "image-node-patch");
    assertThat(makefile).contains("hack/image.sh");
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("| `make image` |", "| `make image-node-patch` |");
  }

  @Test
  void installDocDescribesTheImagesAsBuilt() throws IOException {
    String doc = Files.readString(INSTALL_DOC);
    assertThat(doc)
        .contains("## Container images", "make image", "images/node-patch", "patch-host");
    assertThat(doc).contains("--no-kernel-check", "reboot-required", "@sha256:");
    for (Path file : List.of(OPERATOR_DOCKERFILE, NODE_PATCH_DOCKERFILE)) {
      Dockerfile df = Dockerfile.parse(file);
      for (Map.Entry<String, String> arg : df.globalArgs().entrySet()) {
        assertThat(doc)
            .as(
                "docs/install.md names %s's default base image %s (%s)",
                file, arg.getValue(), arg.getKey())
            .contains(arg.getValue())
            .contains(arg.getKey());
      }
    }
    String user = Dockerfile.parse(OPERATOR_DOCKERFILE).last().all("USER").get(0).args();
    assertThat(doc).contains(user);
  }

  // ---- patch-host against a fake host ----------------------------------------------------------

  @Test
  void patchHostUpgradesDebianAndReportsTheHostsRebootSentinel(@TempDir Path tmp) throws Exception {
    FakeHost host =
        new FakeHost(tmp, "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    host.tool(
        "apt-get", "case \"$*\" in *upgrade*) touch \"$FAKE_ROOT/var/run/reboot-required\";; esac");
    host.tool("dpkg", "");
    Result r = host.patch("6.1.0-28-amd64");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(host.commands())
        .filteredOn(c -> c.startsWith("apt-get") || c.startsWith("dpkg"))
        .hasSize(2)
        .satisfiesExactly(
            update -> assertThat(update).startsWith("apt-get").endsWith(" update"),
            upgrade ->
                assertThat(upgrade).startsWith("apt-get").endsWith(" --with-new-pkgs upgrade"));
    assertThat(host.commands()).contains("test -e /var/run/reboot-required");
    assertThat(host.terminationMessage()).as("what the operator reads").contains("reboot-required");
  }

  @Test
  void patchHostFinishesAnInterruptedDpkgAndSaysNoRebootWhenNoneIsNeeded(@TempDir Path tmp)
      throws Exception {
    FakeHost host = new FakeHost(tmp, "ID=ubuntu\nID_LIKE=debian\n");
    host.tool("apt-get", "");
    host.tool("dpkg", "");
    host.file("var/lib/dpkg/updates/0001");
    host.file("boot/vmlinuz-6.8.0-45-generic");
    host.file("boot/vmlinuz-6.8.0-40-generic");
    host.file("boot/vmlinuz-6.8.0-49-lowlatency");
    Result r = host.patch("6.8.0-45-generic");
    assertThat(r.status()).as(r.output()).isZero();
    List<String> pm = host.commands().stream().filter(c -> c.matches("(apt-get|dpkg) .*")).toList();
    assertThat(pm.get(0)).isEqualTo("dpkg --configure -a");
    assertThat(pm).hasSize(3);
    assertThat(host.terminationMessage().toLowerCase(Locale.ROOT))
        .as("another flavour's newer kernel is no reason to reboot")
        .isNotEmpty()
        .doesNotContain("reboot-required");
  }

  @Test
  void patchHostAsksForARebootWhenANewerKernelOfTheRunningFlavourIsInstalled(@TempDir Path tmp)
      throws Exception {
    FakeHost host = new FakeHost(tmp, "ID=debian\n");
    host.tool("apt-get", "");
    host.file("boot/vmlinuz-6.1.0-27-amd64");
    host.file("boot/vmlinuz-6.1.0-28-amd64");
    Result r = host.patch("6.1.0-27-amd64");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(host.terminationMessage())
        .contains("reboot-required")
        .contains("6.1.0-28-amd64 is installed, 6.1.0-27-amd64 is running");

    Result off = host.patch("6.1.0-27-amd64", "--no-kernel-check");
    assertThat(off.status()).as(off.output()).isZero();
    assertThat(host.terminationMessage()).doesNotContain("reboot-required");
  }

  @Test
  void patchHostUsesDnfAndNeedsRestartingOnRpmHosts(@TempDir Path tmp) throws Exception {
    FakeHost host = new FakeHost(tmp, "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
    host.tool("dnf", "");
    host.tool("needs-restarting", "exit \"$(cat \"$FAKE_ROOT/needs-restarting.exit\")\"");
    host.file("needs-restarting.exit", "1");
    Result r = host.patch("5.14.0-427.13.1.el9_4.x86_64");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(host.commands()).contains("dnf -y upgrade --refresh", "needs-restarting -r");
    assertThat(host.terminationMessage()).contains("reboot-required");

    host.file("needs-restarting.exit", "0");
    assertThat(host.patch("5.14.0-427.13.1.el9_4.x86_64").status()).isZero();
    assertThat(host.terminationMessage()).doesNotContain("reboot-required");
  }

  @Test
  void patchHostFallsBackToYumWithoutDnf(@TempDir Path tmp) throws Exception {
    FakeHost host = new FakeHost(tmp, "ID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\n");
    host.tool("yum", "");
    Result r = host.patch("5.10.225-213.878.amzn2.x86_64");
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(host.commands()).contains("yum -y upgrade");
    assertThat(r.output()).contains("needs-restarting not installed");
  }

  @Test
  void patchHostFailsWithoutAMessageWhenThePackageManagerFails(@TempDir Path tmp) throws Exception {
    FakeHost host = new FakeHost(tmp, "ID=debian\n");
    host.tool("apt-get", "case \"$*\" in *upgrade*) exit 100;; esac");
    Result r = host.patch("6.1.0-28-amd64");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.output()).contains("failed (exit 100)");
    assertThat(host.terminationMessage())
        .as("empty, so Kubernetes falls back to the log (FallbackToLogsOnError)")
        .isEmpty();
  }

  @Test
  void patchHostRefusesHostsItCannotPatch(@TempDir Path tmp) throws Exception {
    FakeHost alpine = new FakeHost(tmp.resolve("alpine"), "ID=alpine\n");
    Result r = alpine.patch("6.6.1-0-lts");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.output()).contains("unsupported host (ID=alpine)");

    FakeHost coreos = new FakeHost(tmp.resolve("coreos"), "ID=fedora\n");
    coreos.tool("dnf", "");
    coreos.file("run/ostree-booted");
    assertThat(coreos.patch("6.5.0-300.fc39.x86_64").status()).isEqualTo(2);
    assertThat(coreos.commands()).noneMatch(c -> c.startsWith("dnf -y"));

    FakeHost debian = new FakeHost(tmp.resolve("usage"), "ID=debian\n");
    assertThat(debian.patch("6.1.0-28-amd64", "--reboot").status()).isEqualTo(2);
  }

  /**
   * A node's root filesystem in a temporary directory, and a fake {@code chroot} (first on PATH)
   * that runs the host's fake package managers from it, logs every command, and maps the paths of
   * {@code cat}, {@code test} and {@code sh -c} into it. {@code uname -r} prints the given kernel.
   */
  private static final class FakeHost {
    private static final String CHROOT =
        """
        #!/bin/sh
        root=$1
        shift
        printf '%s\\n' "$*" >>"$root/../commands.log"
        cmd=$1
        shift
        case $cmd in
          cat) exec cat "$root$1" ;;
          test) exec test "$1" "$root$2" ;;
          /bin/sh)
            case $2 in
              "command -v"*) PATH=$root/usr/bin exec /bin/sh "$@" ;;
              *) exec /bin/sh -c "$(printf '%s' "$2" | sed "s#/var/#$root/var/#g")" ;;
            esac ;;
          *)
            [ -x "$root/usr/bin/$cmd" ] || exit 127
            FAKE_ROOT=$root exec "$root/usr/bin/$cmd" "$@" ;;
        esac
        """;

    private final Path dir;
    private final Path root;
    private final Path bin;

    FakeHost(Path dir, String osRelease) throws IOException {
      this.dir = dir;
      this.root = dir.resolve("root");
      this.bin = dir.resolve("bin");
      Files.createDirectories(root.resolve("usr/bin"));
      Files.createDirectories(root.resolve("var/run"));
      Files.createDirectories(root.resolve("boot"));
      Files.createDirectories(bin);
      file("etc/os-release", osRelease);
      executable(bin.resolve("chroot"), CHROOT);
      executable(bin.resolve("uname"), "#!/bin/sh\necho \"$FAKE_KERNEL\"\n");
    }

    void tool(String name, String body) throws IOException {
      executable(root.resolve("usr/bin").resolve(name), "#!/bin/sh\n" + body + "\n");
    }

    void file(String path) throws IOException {
      file(path, "");
    }

    void file(String path, String content) throws IOException {
      Path file = root.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    }

    Result patch(String runningKernel, String... args) throws Exception {
      assumeTrue(new File("/bin/sh").canExecute(), "no /bin/sh");
      Files.deleteIfExists(dir.resolve("termination-log"));
      Files.deleteIfExists(dir.resolve("commands.log"));
      List<String> command = new ArrayList<>(List.of("/bin/sh", PATCH_HOST.toString()));
      command.addAll(List.of(args));
      Map<String, String> env = new LinkedHashMap<>();
      env.put(
          "PATH", bin + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("PATCHWARDEN_HOST_ROOT", root.toString());
      env.put("PATCHWARDEN_TERMINATION_LOG", dir.resolve("termination-log").toString());
      env.put("PATCHWARDEN_NODE", "node-1");
      env.put("FAKE_KERNEL", runningKernel);
      return run(command, env);
    }

    List<String> commands() throws IOException {
      Path log = dir.resolve("commands.log");
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    String terminationMessage() throws IOException {
      Path file = dir.resolve("termination-log");
      return Files.exists(file) ? Files.readString(file).strip() : "";
    }

    private static void executable(Path file, String content) throws IOException {
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  // ---- Helpers ---------------------------------------------------------------------------------

  private record Result(int status, String output) {}

  /** Runs a command (in the module directory) with a clean environment plus {@code env}. */
  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> environment = builder.environment();
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    environment.clear();
    environment.put("PATH", path);
    environment.put("LC_ALL", "C");
    environment.putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static Optional<String> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  /** The stage that runs Maven's package: the builder. */
  private static Stage buildStage(Dockerfile df) {
    return df.stages().stream()
        .filter(s -> s.all("RUN").stream().anyMatch(r -> r.args().contains("mvn")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage runs mvn"));
  }

  private static List<String> execForm(Stage stage, String keyword) throws IOException {
    List<Instruction> all = stage.all(keyword);
    assertThat(all).as("%s in the final stage", keyword).isNotEmpty();
    String args = all.get(all.size() - 1).args();
    assertThat(args).as("%s must be exec form (a JSON array): %s", keyword, args).startsWith("[");
    List<String> words = new ArrayList<>();
    JSON.readTree(args).forEach(n -> words.add(n.asText()));
    assertThat(words).isNotEmpty();
    return words;
  }

  /** Every value of {@code key:} in the chart's values and templates and in deploy/. */
  private static Set<String> chartValues(String key) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(CHART.resolve("values.yaml"));
    try (Stream<Path> templates = Files.list(CHART.resolve("templates"))) {
      templates.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    files.add(ROOT.resolve("deploy/patchwarden.yaml"));
    Pattern pattern = Pattern.compile("(?m)^\\s*" + key + ":\\s*\"?(\\S+?)\"?\\s*$");
    Set<String> values = new TreeSet<>();
    for (Path file : files) {
      Matcher m = pattern.matcher(Files.readString(file));
      while (m.find()) {
        values.add(m.group(1));
      }
    }
    assertThat(values).as("%s in %s", key, files).isNotEmpty();
    return values;
  }

  /** The jar the operator pom's shade plugin writes, relative to the module: target/NAME.jar. */
  private static String shadedJar(Path pom) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    NodeList plugins = doc.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (!"maven-shade-plugin".equals(childText(plugin, "artifactId"))) {
        continue;
      }
      NodeList outputFile = plugin.getElementsByTagName("outputFile");
      if (outputFile.getLength() > 0) {
        return outputFile
            .item(0)
            .getTextContent()
            .trim()
            .replace("${project.build.directory}", "target");
      }
      NodeList finalName = plugin.getElementsByTagName("finalName");
      if (finalName.getLength() > 0) {
        return "target/" + finalName.item(0).getTextContent().trim() + ".jar";
      }
      throw new AssertionError("the shade plugin in " + pom + " replaces the module's main jar");
    }
    throw new AssertionError("no maven-shade-plugin in " + pom);
  }

  private static String childText(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }

  private static String projectVersion() throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT.resolve("pom.xml").toFile());
    return childText(doc.getDocumentElement(), "version");
  }

  /** The root pom's modules: directory -> artifactId. */
  private static Map<String, String> modules() throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT.resolve("pom.xml").toFile());
    Map<String, String> modules = new LinkedHashMap<>();
    NodeList list = doc.getElementsByTagName("module");
    for (int i = 0; i < list.getLength(); i++) {
      String dir = list.item(i).getTextContent().trim();
      Document module =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(ROOT.resolve(dir).resolve("pom.xml").toFile());
      modules.put(dir, childText(module.getDocumentElement(), "artifactId"));
    }
    return modules;
  }

  /**
   * What {@code mvn -pl operator -am} builds: operator and the modules it depends on (any scope).
   */
  private static Set<String> operatorModules(Map<String, String> modules) throws Exception {
    Map<String, String> dirOfArtifact = new HashMap<>();
    modules.forEach((dir, artifactId) -> dirOfArtifact.put(artifactId, dir));
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of("operator"));
    while (!todo.isEmpty()) {
      String dir = todo.pop();
      if (!seen.add(dir)) {
        continue;
      }
      Document pom =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(ROOT.resolve(dir).resolve("pom.xml").toFile());
      NodeList deps = pom.getElementsByTagName("dependency");
      for (int i = 0; i < deps.getLength(); i++) {
        String artifactId = childText((Element) deps.item(i), "artifactId");
        if (dirOfArtifact.containsKey(artifactId)) {
          todo.push(dirOfArtifact.get(artifactId));
        }
      }
    }
    return seen;
  }

  // ---- A Dockerfile, read as text --------------------------------------------------------------

  /** One instruction: its keyword (upper case), its arguments with continuations joined. */
  private record Instruction(String keyword, String args) {
    private static final Pattern FLAG = Pattern.compile("--([a-z-]+)=(\\S+)");

    /** The arguments without leading {@code --flag=value}s, split on white space. */
    List<String> words() {
      List<String> words = new ArrayList<>(Arrays.asList(args.trim().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      return words;
    }

    Optional<String> flag(String name) {
      Matcher m = FLAG.matcher(args);
      while (m.find()) {
        if (m.group(1).equals(name)) {
          return Optional.of(m.group(2));
        }
      }
      return Optional.empty();
    }
  }

  /** One stage: FROM's image (as written), its name (or null) and its instructions. */
  private record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> first(String keyword) {
      return all(keyword).stream().findFirst();
    }
  }

  private record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
    Stage last() {
      return stages.get(stages.size() - 1);
    }

    /** A FROM image with a global ARG substituted by its default. */
    String resolve(String image) {
      Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(image);
      return m.replaceAll(r -> Matcher.quoteReplacement(globalArgs.getOrDefault(r.group(1), "")));
    }

    static Dockerfile parse(Path file) throws IOException {
      List<String> logical = new ArrayList<>();
      StringBuilder current = null;
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.startsWith("#") || (line.isEmpty() && current == null)) {
          continue; // comments (also inside continuations) and blank lines
        }
        boolean continues = line.endsWith("\\");
        String part = continues ? line.substring(0, line.length() - 1) : line;
        current = current == null ? new StringBuilder(part) : current.append(' ').append(part);
        if (!continues) {
          logical.add(current.toString().replaceAll("\\s+", " ").trim());
          current = null;
        }
      }
      assertThat(current).as("%s ends inside a continuation", file).isNull();

      Map<String, String> globalArgs = new LinkedHashMap<>();
      List<Stage> stages = new ArrayList<>();
      List<Instruction> instructions = null;
      for (String line : logical) {
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1).trim();
        if (keyword.equals("FROM")) {
          List<String> words = new Instruction(keyword, args).words();
          String name =
              words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
          instructions = new ArrayList<>();
          stages.add(new Stage(words.get(0), name, instructions));
        } else if (instructions == null) {
          assertThat(keyword)
              .as("%s: only ARG may come before the first FROM", file)
              .isEqualTo("ARG");
          String[] kv = args.split("=", 2);
          globalArgs.put(kv[0], kv.length > 1 ? kv[1].replaceAll("^\"|\"$", "") : "");
        } else {
          instructions.add(new Instruction(keyword, args));
        }
      }
      assertThat(stages).as("FROM in %s", file).isNotEmpty();
      return new Dockerfile(globalArgs, stages);
    }
  }

  /** .dockerignore: Docker's rules in order, the last that matches a path or its parent wins. */
  private record DockerIgnore(List<Pattern> patterns, List<Boolean> exclude) {
    static DockerIgnore read(Path file) throws IOException {
      List<Pattern> patterns = new ArrayList<>();
      List<Boolean> exclude = new ArrayList<>();
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        boolean negated = line.startsWith("!");
        String glob = (negated ? line.substring(1) : line).replaceAll("^/+|/+$", "");
        patterns.add(Pattern.compile(globToRegex(glob)));
        exclude.add(!negated);
      }
      return new DockerIgnore(patterns, exclude);
    }

    boolean excludes(String path) {
      boolean excluded = false;
      for (int i = 0; i < patterns.size(); i++) {
        if (matchesOrParentMatches(patterns.get(i), path)) {
          excluded = exclude.get(i);
        }
      }
      return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
      String p = path;
      while (true) {
        if (pattern.matcher(p).matches()) {
          return true;
        }
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
          return false;
        }
        p = p.substring(0, slash);
      }
    }

    private static String globToRegex(String glob) {
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else if (c == '*') {
          regex.append("[^/]*");
        } else if (c == '?') {
          regex.append("[^/]");
        } else {
          regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return regex.toString();
    }
  }
}
