package io.patchwarden.operator.inventory;

/**
 * How many targets of each kind a group selects; null for a kind the group has no selector for.
 * Pure.
 */
public record Membership(Integer nodes, Integer endpoints) {

  /** The Ready message, e.g. "Selects 3 endpoints and 2 nodes." */
  public String describe() {
    String e = endpoints == null ? null : count(endpoints, "endpoint");
    String n = nodes == null ? null : count(nodes, "node");
    if (e != null && n != null) {
      return "Selects " + e + " and " + n + ".";
    }
    if (e != null || n != null) {
      return "Selects " + (e != null ? e : n) + ".";
    }
    return "Selects nothing.";
  }

  private static String count(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
