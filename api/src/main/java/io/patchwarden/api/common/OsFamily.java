package io.patchwarden.api.common;

/** Operating system family; a closed set so it can label metrics without unbounded cardinality. */
public enum OsFamily {
  Debian,
  RedHat,
  Suse,
  Windows,
  MacOS,
  Other
}
