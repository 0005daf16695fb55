#!/usr/bin/env bash
# Provide the Kubernetes binaries that Fabric8 kube-api-test (7.5.2) uses for
# the real-API-server test tier, without downloading them from the internet.
#
# kube-api-test looks for   $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/
# (default ~/.kubeapitest) and, when the three binaries kube-apiserver, etcd
# and kubectl are there, runs offline. We pin version 1.20.2 because that is
# what Debian bookworm ships:
#   etcd            <- Debian package etcd-server (3.4.23)
#   kubectl         <- Debian package kubernetes-client (1.20.2)
#   kube-apiserver  <- built from Debian's "kubernetes" source package (1.20.2,
#                      all Go dependencies vendored), with the vendored
#                      modern-go/reflect2 1.0.1 replaced by Debian's 1.0.2:
#                      1.0.1 compiled with Go >= 1.18 segfaults the apiserver
#                      on the first custom-resource write.
#
# Idempotent: when the binaries are present it returns immediately; the built
# kube-apiserver is cached so a second install never rebuilds.
set -euo pipefail
shopt -s inherit_errexit

K8S_VERSION=1.20.2
SUITE=bookworm
BASE_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
DIR="$BASE_DIR/k8s/${K8S_VERSION}-linux-amd64"
BINS=(kube-apiserver etcd kubectl)
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/patchwarden"
CACHED_APISERVER="$CACHE_DIR/kube-apiserver-${K8S_VERSION}"
WORK_DIR="$CACHE_DIR/kube-src"
SRC_LIST=/etc/apt/sources.list.d/patchwarden-src.list

usage() {
  cat <<EOF
Usage: ${0##*/} [--check | --help]

Puts kube-apiserver, etcd and kubectl ${K8S_VERSION} into
  $DIR
(override the base directory with KUBE_API_TEST_DIR) for kube-api-test.

  (no option)  install if missing: on Debian/apt systems etcd and kubectl come
               from Debian packages and kube-apiserver is built from Debian's
               kubernetes source package (~4 min on 2 cores, cached in
               $CACHE_DIR).
  --check      exit 0 if the binaries are present, 1 otherwise; installs nothing.
  --help       show this help.
EOF
}

present() {
  local b
  for b in "${BINS[@]}"; do
    [[ -f "$DIR/$b" && -x "$DIR/$b" && -s "$DIR/$b" ]] || return 1
  done
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  --check)
    if present; then echo "kube binaries present in $DIR"; exit 0; fi
    echo "kube binaries missing in $DIR (run ${0##*/} to install them)" >&2
    exit 1 ;;
  "") ;;
  *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

if present; then
  echo "kube binaries present in $DIR"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  # builtins only (read + printf): this must work on minimal systems too
  IFS= read -r -d '' msg <<EOF || true
kube binaries missing in $DIR and this is not an apt-based (Debian) system,
so this script cannot install them. Either
  * put Linux amd64 builds of kube-apiserver, etcd and kubectl (Kubernetes
    ${K8S_VERSION}, etcd 3.4.x) into
      $DIR/
    and make them executable (set KUBE_API_TEST_DIR to use another base dir), or
  * run the tests on a machine with internet access: kube-api-test downloads
    the binaries itself on first use.
EOF
  printf '%s' "$msg" >&2
  exit 1
fi

# ---------------------------------------------------------------- helpers
START=$SECONDS
log() { printf '==> [%4ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { printf '==> ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command and log how long it took.
step() {
  local desc=$1 t0=$SECONDS
  shift
  log "$desc"
  "$@"
  log "$desc: done in $((SECONDS - t0))s"
}

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

TMP_FILES=()
TMP_DIR=""
cleanup() {
  local f
  for f in "${TMP_FILES[@]}"; do rm -f -- "$f"; done
  [[ -n "$TMP_DIR" ]] && rm -rf -- "$TMP_DIR"
  return 0
}
trap cleanup EXIT

# Copy $1 to $2 atomically (tmp name in the same dir, then rename), so an
# interrupted run never leaves a truncated binary behind.
install_atomic() {
  local src=$1 dst=$2 tmp
  tmp="$(dirname "$dst")/.$(basename "$dst").tmp.$$"
  TMP_FILES+=("$tmp")
  cp -L -- "$src" "$tmp"
  chmod 0755 "$tmp"
  mv -f -- "$tmp" "$dst"
}

APT_UPDATED=0
apt_update() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    step "apt-get update" as_root apt-get update -q
    APT_UPDATED=1
  fi
}

apt_install() {
  step "apt-get install $*" as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@"
}

# apt-get download + dpkg -x a package into $TMP_DIR/<pkg>; prints that dir.
# (Used instead of installing etcd-server / kubernetes-client: no system etcd
# service gets started, and no clash with another package's /usr/bin/kubectl.)
extract_deb() {
  local pkg=$1 out="$TMP_DIR/$1"
  mkdir -p "$out/deb"
  if ! (cd "$out/deb" && apt-get download -q "$pkg/$SUITE" >&2); then
    apt_update >&2
    (cd "$out/deb" && apt-get download -q "$pkg/$SUITE" >&2)
  fi
  dpkg -x "$out"/deb/*.deb "$out/root"
  echo "$out/root"
}

# Binary $2 (absolute path) from Debian package $1: the installed one if the
# package is installed, else extracted from the downloaded .deb.
deb_binary() {
  local pkg=$1 path=$2
  local root
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' && [[ -x "$path" ]]; then
    echo "$path"
  else
    root="$(extract_deb "$pkg")"
    [[ -x "$root$path" ]] || die "$path not found in Debian package $pkg"
    echo "$root$path"
  fi
}

# ------------------------------------------------ apt sources (deb-src)
# Scan one-line (.list) and deb822 (.sources) apt source files.
#   mode=debsrc: print "yes" if an enabled deb-src entry for $SUITE exists
#   mode=mirror: print the URI of the first deb entry for $SUITE
scan_sources() {
  local mode=$1 f
  shopt -s nullglob
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    sed -E -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v mode="$mode" -v suite="$SUITE" '
      mode == "debsrc" && $1 == "deb-src" && $3 == suite { print "yes"; exit }
      mode == "mirror" && $1 == "deb"     && $3 == suite { print $2;    exit }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    awk -v mode="$mode" -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; suites = ""; uris = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          key = tolower(line); sub(/:.*/, "", key)
          val = line; sub(/^[^:]*:[ \t]*/, "", val); gsub(/\t/, " ", val)
          if (key == "types") types = " " val " "
          else if (key == "suites") suites = " " val " "
          else if (key == "uris") uris = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled == "no" || index(suites, " " suite " ") == 0) next
        if (mode == "debsrc" && index(types, " deb-src ")) { print "yes"; exit }
        if (mode == "mirror" && index(types, " deb ")) { split(uris, u, " "); print u[1]; exit }
      }' "$f"
  done
  shopt -u nullglob
}

ensure_deb_src() {
  if [[ -n "$(scan_sources debsrc)" ]]; then
    log "deb-src entry for $SUITE already configured"
    return
  fi
  local mirror opts=""
  mirror="$(scan_sources mirror | head -n1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] &&
    opts="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
  log "adding $SRC_LIST: deb-src $opts$mirror $SUITE main"
  printf '# added by patchwarden hack/kube-binaries.sh (kubernetes source for kube-apiserver)\ndeb-src %s%s %s main\n' \
    "$opts" "$mirror" "$SUITE" | as_root tee "$SRC_LIST" >/dev/null
  APT_UPDATED=0
}

# ------------------------------------------------ kube-apiserver build
build_apiserver() {
  ensure_deb_src
  apt_update
  apt_install golang-go rsync jq dpkg-dev make

  mkdir -p "$WORK_DIR"
  cd "$WORK_DIR"
  # Start from a pristine tree (a previous run may have died half-way);
  # already downloaded tarballs are reused by apt-get source.
  find . -mindepth 1 -maxdepth 1 -type d -exec rm -rf -- {} +
  step "apt-get source kubernetes/$SUITE" apt-get source -q "kubernetes/$SUITE"
  local src
  src="$(find . -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
  [[ -n "$src" ]] || die "apt-get source did not produce a kubernetes-* directory in $WORK_DIR"
  src="$WORK_DIR/${src#./}"
  cd "$src"

  mkdir -p .go/src/k8s.io
  ln -sfn ../../.. .go/src/k8s.io/kubernetes

  # Replace the vendored reflect2 1.0.1 with Debian's 1.0.2 (Go 1.18+ fix).
  local r2root r2=vendor/github.com/modern-go/reflect2
  r2root="$(extract_deb golang-github-modern-go-reflect2-dev)"
  [[ -d "$r2root/usr/share/gocode/src/github.com/modern-go/reflect2" ]] ||
    die "reflect2 sources not found in golang-github-modern-go-reflect2-dev"
  log "replacing $r2 with reflect2 from golang-github-modern-go-reflect2-dev"
  rm -rf -- "$r2"
  mkdir -p "$r2"
  cp -L -- "$r2root"/usr/share/gocode/src/github.com/modern-go/reflect2/*.go \
    "$r2root"/usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$r2/" 2>/dev/null || true
  cp -L -- "$r2root"/usr/share/gocode/src/github.com/modern-go/reflect2/LICENSE "$r2/" 2>/dev/null || true
  rm -f -- "$r2"/*_test.go "$r2"/go.mod "$r2"/go.sum
  ls "$r2"/*.go >/dev/null 2>&1 || die "no Go files copied into $r2"
  # Keep module metadata consistent in case the build runs with -mod=vendor.
  sed -i -E 's|^(# github.com/modern-go/reflect2) v1\.0\.1$|\1 v1.0.2|' vendor/modules.txt
  sed -i -E 's|(github.com/modern-go/reflect2) v1\.0\.1$|\1 v1.0.2|' go.mod

  mkdir -p "$WORK_DIR/home" "$WORK_DIR/gocache"
  step "make WHAT=cmd/kube-apiserver (takes a few minutes)" \
    env HOME="$WORK_DIR/home" GOCACHE="$WORK_DIR/gocache" GOPATH="$src/.go" \
    GOPROXY=off GOFLAGS= CGO_ENABLED=0 PATH="/usr/lib/go/bin:$PATH" \
    KUBE_GIT_VERSION="v${K8S_VERSION}" KUBE_GIT_TREE_STATE=clean \
    make WHAT=cmd/kube-apiserver

  local bin
  bin="$(find _output -type f -name kube-apiserver -perm -u+x | head -n1)"
  [[ -n "$bin" ]] || die "build finished but no kube-apiserver under $src/_output"
  "$bin" --version
  install_atomic "$bin" "$CACHED_APISERVER"
  log "cached $CACHED_APISERVER"

  cd "$CACHE_DIR"
  step "removing source tree $WORK_DIR" rm -rf -- "$WORK_DIR"
}

# ---------------------------------------------------------------- main
log "installing kube binaries ${K8S_VERSION} into $DIR"
mkdir -p "$DIR" "$CACHE_DIR"
TMP_DIR="$(mktemp -d "$CACHE_DIR/tmp.XXXXXX")"
chmod 0755 "$TMP_DIR" # apt-get download runs as _apt when it can

from_deb() { # <package> <path in package> <target name>
  local src
  src="$(deb_binary "$1" "$2")"
  install_atomic "$src" "$DIR/$3"
}

if [[ ! -x "$DIR/etcd" ]]; then
  step "etcd from Debian package etcd-server" from_deb etcd-server /usr/bin/etcd etcd
fi

if [[ ! -x "$DIR/kubectl" ]]; then
  step "kubectl from Debian package kubernetes-client" from_deb kubernetes-client /usr/bin/kubectl kubectl
fi

if [[ ! -x "$DIR/kube-apiserver" ]]; then
  if [[ -x "$CACHED_APISERVER" && -s "$CACHED_APISERVER" ]]; then
    log "using cached $CACHED_APISERVER"
  else
    step "building kube-apiserver ${K8S_VERSION} from Debian source" build_apiserver
  fi
  install_atomic "$CACHED_APISERVER" "$DIR/kube-apiserver"
fi

present || die "binaries still missing in $DIR"
for b in "${BINS[@]}"; do log "$(ls -l "$DIR/$b")"; done
log "kube binaries installed in $DIR (total $((SECONDS - START))s)"
