package io.patchwarden.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of every 4xx/5xx answer of the gateway.
 *
 * @param error a stable error code, e.g. invalid_request, unauthorized, too_large, rate_limited
 * @param message what is wrong, for a person
 * @param field the offending field (JSON pointer), when one is to blame
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(String error, String message, String field) {}
