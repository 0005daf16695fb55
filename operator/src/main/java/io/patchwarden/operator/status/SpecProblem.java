package io.patchwarden.operator.status;

/**
 * Something wrong with a spec that the schema could not reject.
 *
 * @param reason the condition reason
 * @param field the offending field, as a path such as {@code spec.recurrence.cron}
 * @param message what is wrong, for a person; does not repeat the field
 */
public record SpecProblem(Reason reason, String field, String message) {

  /** The condition message: the field first, so a person can find it. */
  public String describe() {
    return field + ": " + message;
  }
}
