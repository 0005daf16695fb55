package io.patchwarden.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless: renders a page as a user's browser does. Installed by {@code make
 * browser} (part of {@code make test}); a missing browser fails the test rather than skipping it.
 */
public final class HeadlessBrowser {
  private static final List<String> CANDIDATES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  private HeadlessBrowser() {}

  /** The DOM after rendering, as Chromium serialises it. */
  public static String dumpDom(Path page) throws IOException, InterruptedException {
    return run(page, "--dump-dom");
  }

  /** A PNG of the rendered page. */
  public static void screenshot(Path page, Path png) throws IOException, InterruptedException {
    run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,1400");
    if (!Files.exists(png)) {
      throw new IllegalStateException("Chromium wrote no screenshot to " + png);
    }
  }

  private static String run(Path page, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.add("--headless");
    command.add("--no-sandbox"); // CI runs as root
    command.add("--disable-gpu");
    command.add("--disable-dev-shm-usage");
    command.add("--no-first-run");
    command.add("--user-data-dir=" + profile);
    command.addAll(List.of(args));
    command.add(page.toAbsolutePath().toUri().toString());
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium did not finish within 90 s: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "Chromium failed ("
              + p.exitValue()
              + "): "
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String binary() {
    for (String c : CANDIDATES) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "No headless browser: install Debian's chromium with 'make browser' (make test does)");
  }
}
