package io.patchwarden.agent.backend;

/** The package manager could not be asked, or its answer could not be read. */
public class BackendException extends RuntimeException {
  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
