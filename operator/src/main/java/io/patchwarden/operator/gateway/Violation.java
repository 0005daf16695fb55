package io.patchwarden.operator.gateway;

/**
 * What is wrong with a request body: answered with 400, naming the field as a JSON pointer.
 *
 * @param field the offending field, e.g. {@code /inventory/pendingUpdates/3/cves/0}
 * @param message what is wrong, for a person
 */
public record Violation(String field, String message) {}
