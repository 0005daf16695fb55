package io.patchwarden.agent.backend.dnf;

import io.patchwarden.api.common.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code dnf -q updateinfo info --updates}: per advisory its type, severity, date and CVEs.
 * dnf 4 prints a block per advisory under a rule of '=' with right-aligned labels:
 *
 * <pre>
 * ===============================================================================
 *   Important: openssl security update
 * ===============================================================================
 *   Update ID : RHSA-2024:1234
 *        Type : security
 *     Updated : 2024-04-30 11:29:16
 *        CVEs : CVE-2023-5678
 *             : CVE-2023-6129
 * Description : ...
 *    Severity : Important
 * </pre>
 *
 * dnf 5 prints left-aligned labels (Name, Issued, and CVEs as nested References). Both are read the
 * same way: a label line starts a field, a line with an empty label continues the last one.
 */
public final class UpdateinfoInfoParser {

  /**
   * What an advisory says about its updates.
   *
   * @param id advisory id
   * @param type advisory type
   * @param severity vendor severity
   * @param cves CVE ids the advisory fixes
   * @param issued release date, YYYY-MM-DD, or null
   */
  public record Advisory(
      String id, AdvisoryType type, Severity severity, List<String> cves, String issued) {}

  private static final Pattern FIELD =
      Pattern.compile("^\\s*([A-Za-z][A-Za-z ]*?)?\\s*:(?: (.*))?$");
  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");
  private static final Pattern DATE = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})");

  private UpdateinfoInfoParser() {}

  /** Advisories by id. */
  public static Map<String, Advisory> parse(String output) {
    Map<String, Advisory> advisories = new LinkedHashMap<>();
    Block block = null;
    String label = null;
    for (String line : output.split("\n")) {
      if (line.startsWith("====")) {
        block = finish(block, advisories);
        label = null;
        continue;
      }
      Matcher m = FIELD.matcher(line);
      if (!m.matches()) {
        continue; // the title line, or text without a label column
      }
      String value = m.group(2) == null ? "" : m.group(2).strip();
      if (m.group(1) != null) {
        label = m.group(1).strip();
        // dnf 5 starts each advisory with "Name", without a rule above it.
        if (label.equals("Name") && line.startsWith("Name")) {
          block = finish(block, advisories);
        }
      }
      if (label == null) {
        continue;
      }
      if (block == null) {
        block = new Block();
      }
      block.add(label, value);
    }
    finish(block, advisories);
    return advisories;
  }

  private static Block finish(Block block, Map<String, Advisory> advisories) {
    if (block != null && block.id != null) {
      advisories.put(block.id, block.toAdvisory());
    }
    return null;
  }

  /** The fields of one advisory; the first occurrence of a label wins over nested ones. */
  private static final class Block {
    private String id;
    private String type;
    private String severity;
    private String issued;
    private final Set<String> cves = new LinkedHashSet<>();

    void add(String label, String value) {
      switch (label) {
        case "Update ID", "Name" -> id = id == null ? value : id;
        case "Type" -> type = type == null ? value : type;
        case "Severity" -> severity = severity == null ? value : severity;
        case "Updated", "Issued" -> issued = issued == null ? value : issued;
          // Only references count: free text may mention CVEs it does not fix.
        case "CVEs", "Bugs", "References", "Id" -> collectCves(value);
        default -> {}
      }
    }

    private void collectCves(String value) {
      Matcher m = CVE.matcher(value);
      while (m.find()) {
        cves.add(m.group());
      }
    }

    Advisory toAdvisory() {
      String date = null;
      if (issued != null) {
        Matcher m = DATE.matcher(issued);
        date = m.find() ? m.group(1) : null;
      }
      return new Advisory(
          id,
          type == null ? AdvisoryType.UNKNOWN : AdvisoryType.of(type),
          RedHatSeverity.of(severity),
          new ArrayList<>(cves),
          date);
    }
  }
}
