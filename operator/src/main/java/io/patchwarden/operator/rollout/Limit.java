package io.patchwarden.operator.rollout;

/**
 * A count or a percentage (maxConcurrent, haltOnFailures). Pure value.
 *
 * @param count an absolute count, or null
 * @param percent a percentage 0..100, or null
 */
public record Limit(Integer count, Integer percent) {

  public static final Limit NONE = new Limit(null, null);

  public static Limit of(Integer count, String value) {
    if (count != null) {
      return new Limit(count, null);
    }
    if (value == null) {
      return NONE;
    }
    if (value.endsWith("%")) {
      return new Limit(null, Integer.parseInt(value.substring(0, value.length() - 1)));
    }
    return new Limit(Integer.parseInt(value), null);
  }

  public boolean isSet() {
    return count != null || percent != null;
  }

  /** The limit for a population of {@code size}: a percentage rounds down, then at least min. */
  public int resolve(int size, int min) {
    int value = count != null ? count : percent != null ? size * percent / 100 : Integer.MAX_VALUE;
    return Math.max(min, value);
  }

  @Override
  public String toString() {
    return count != null ? count.toString() : percent != null ? percent + "%" : "unset";
  }
}
