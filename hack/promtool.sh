#!/usr/bin/env bash
# Provide promtool for the alert-rule tests: AlertRulesTest (operator module) runs
#   promtool check rules monitoring/prometheus/patchwarden-alerts.yaml
#   promtool test rules  monitoring/prometheus/patchwarden-alerts-test.yaml
# and fails, rather than skips, when promtool is missing.
#
# promtool ships in Debian's "prometheus" package (bookworm: 2.42). Only the promtool binary is
# taken from that package (apt-get download + dpkg -x) and put into $PROMTOOL_BIN_DIR
# (default /usr/local/bin): installing the package itself would also install and start a
# Prometheus server as a system service, plus a dozen JavaScript libraries for its web UI.
#
# Idempotent: when promtool is already on PATH (or in /usr/bin or $PROMTOOL_BIN_DIR) it
# returns at once.
set -euo pipefail
shopt -s inherit_errexit

PKG=prometheus
BIN_DIR="${PROMTOOL_BIN_DIR:-/usr/local/bin}"

usage() {
  cat <<EOF
Usage: ${0##*/} [--check | --help]

Makes promtool available for the alert-rule tests.

  (no option)  install if missing: on Debian/apt systems promtool is extracted from the
               Debian package "$PKG" into $BIN_DIR
               (override with PROMTOOL_BIN_DIR; sudo is used when not root and the
               directory is not writable).
  --check      exit 0 if promtool is present, 1 otherwise; installs nothing.
  --help       show this help.
EOF
}

# Prints the promtool to use: PATH first, then the places AlertRulesTest also looks.
find_promtool() {
  local p
  if p="$(command -v promtool 2>/dev/null)"; then
    echo "$p"
    return 0
  fi
  for p in "$BIN_DIR/promtool" /usr/local/bin/promtool /usr/bin/promtool; do
    if [[ -f "$p" && -x "$p" ]]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

report() {
  local p=$1
  echo "promtool present: $p ($("$p" --version 2>&1 | head -n1))"
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  --check)
    if p="$(find_promtool)"; then report "$p"; exit 0; fi
    echo "promtool missing (run 'make promtool' or ${0##*/} to install it)" >&2
    exit 1 ;;
  "") ;;
  *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

if p="$(find_promtool)"; then
  report "$p"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  IFS= read -r -d '' msg <<EOF || true
promtool is missing and this is not an apt-based (Debian) system, so this script cannot
install it. Install promtool (Prometheus 2.42 or later; it is in the Prometheus release
archive and in most distributions' "prometheus" package) and put it on PATH, or into
$BIN_DIR (set PROMTOOL_BIN_DIR to use another directory).
EOF
  printf '%s' "$msg" >&2
  exit 1
fi

# ---------------------------------------------------------------- helpers
log() { printf '==> %s\n' "$*"; }
die() { printf '==> ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

# Runs a command as root only when the current user cannot write the target directory.
in_bin_dir() {
  if [[ -d "$BIN_DIR" && -w "$BIN_DIR" ]]; then
    "$@"
  else
    as_root "$@"
  fi
}

TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/patchwarden-promtool.XXXXXX")"
trap 'rm -rf -- "$TMP_DIR"' EXIT
chmod 0755 "$TMP_DIR" # apt-get download runs as _apt when it can

download() {
  (cd "$TMP_DIR" && apt-get download -q "$PKG")
}

# ---------------------------------------------------------------- main
log "downloading Debian package $PKG (for its promtool)"
if ! download; then
  # An old or empty package list: refresh it once, then try again.
  log "apt-get update"
  as_root apt-get update -q
  download || die "apt-get download $PKG failed"
fi

deb=("$TMP_DIR"/"$PKG"_*.deb)
[[ -f "${deb[0]}" ]] || die "apt-get download $PKG produced no .deb in $TMP_DIR"
dpkg -x "${deb[0]}" "$TMP_DIR/root"
src="$TMP_DIR/root/usr/bin/promtool"
[[ -x "$src" ]] || die "/usr/bin/promtool not found in ${deb[0]##*/}"

# Copy under a temporary name in the same directory, then rename: an interrupted run never
# leaves a truncated binary behind.
in_bin_dir mkdir -p "$BIN_DIR"
tmp="$BIN_DIR/.promtool.tmp.$$"
in_bin_dir install -m 0755 "$src" "$tmp"
in_bin_dir mv -f "$tmp" "$BIN_DIR/promtool"

"$BIN_DIR/promtool" --version >/dev/null 2>&1 || die "$BIN_DIR/promtool does not run"
report "$BIN_DIR/promtool"
if ! command -v promtool >/dev/null 2>&1; then
  log "note: $BIN_DIR is not on PATH: run the tests with PROMTOOL=$BIN_DIR/promtool"
fi
