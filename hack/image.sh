#!/usr/bin/env bash
# Build Patchwarden's container images with docker or podman (`make image`, `make image-node-patch`):
#   operator    Dockerfile (build context: the repository root)  -> $OPERATOR_IMAGE:$IMAGE_TAG
#   node-patch  images/node-patch/Dockerfile (context: its dir)  -> $NODE_PATCH_IMAGE:$IMAGE_TAG
# The tag defaults to the project version in pom.xml. Nothing is pushed.
#
# Not part of `make test` or CI (they have no container engine): DockerfileTest checks the
# Dockerfiles as text instead. See docs/install.md, "Container images".
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<EOF
Usage: ${0##*/} [all | operator | node-patch | tags | --help]

  all (default)  build the operator image and the node patch image
  operator       build the operator image only (Maven runs inside the build; no local JDK needed)
  node-patch     build the node patch image only
  tags           print the image references that would be built; needs no container engine

Environment:
  CONTAINER_ENGINE  docker or podman (name or path); default: the first of them that answers 'info'
  OPERATOR_IMAGE    default ghcr.io/patchwarden/operator
  NODE_PATCH_IMAGE  default ghcr.io/patchwarden/node-patch
  IMAGE_TAG         default: the project version in pom.xml ($(project_version))
  PLATFORM          target platform, e.g. linux/arm64 (--platform); default: the engine's own
  BUILD_ARGS        more arguments for the engine's build command, word-split, e.g.
                    "--build-arg RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot@sha256:..."
EOF
}

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

# The version of the root pom (the project's own <version>, right after its artifactId).
project_version() {
  sed -n '/<artifactId>patchwarden-parent<\/artifactId>/,/<version>/s/.*<version>\([^<]*\)<\/version>.*/\1/p' \
    "$ROOT/pom.xml" | head -n 1
}

# The repository's URL for the org.opencontainers.image.source label: the git remote "origin",
# as https, without any credentials; empty when unknown.
source_url() {
  local url
  url="$(git -C "$ROOT" remote get-url origin 2>/dev/null)" || return 0
  case "$url" in
    git@*:*) url="${url#git@}" && url="https://${url/://}" ;;
    ssh://git@*) url="https://${url#ssh://git@}" ;;
  esac
  url="$(sed -E 's#^(https?://)[^/@]*@#\1#' <<<"$url")"
  echo "${url%.git}"
}

revision() {
  git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown
}

# The engine to build with; exits with an explanation when there is none that works.
engine() {
  local e out notes=()
  if [[ -n "${CONTAINER_ENGINE:-}" ]]; then
    command -v "$CONTAINER_ENGINE" >/dev/null 2>&1 ||
      die "CONTAINER_ENGINE=$CONTAINER_ENGINE: no such command."
    out="$("$CONTAINER_ENGINE" info 2>&1 >/dev/null)" ||
      die "CONTAINER_ENGINE=$CONTAINER_ENGINE: '$CONTAINER_ENGINE info' fails: $(head -n 1 <<<"$out")"
    echo "$CONTAINER_ENGINE"
    return 0
  fi
  for e in docker podman; do
    command -v "$e" >/dev/null 2>&1 || continue
    if out="$("$e" info 2>&1 >/dev/null)"; then
      echo "$e"
      return 0
    fi
    notes+=("  $e is installed, but '$e info' fails: $(head -n 1 <<<"$out")")
  done
  {
    echo "${0##*/}: building the images needs a container engine: docker (with buildx) or podman."
    if ((${#notes[@]})); then
      printf '%s\n' "${notes[@]}"
    else
      echo "  Neither docker nor podman is installed."
    fi
    echo "  Install one (Debian: apt-get install podman), start its daemon, or set CONTAINER_ENGINE."
    echo "  The images are not needed for 'make test'; CI builds no image."
  } >&2
  exit 1
}

# build ENGINE REFERENCE DOCKERFILE CONTEXT
build() {
  local engine="$1" ref="$2" dockerfile="$3" context="$4" cmd
  cmd=("$engine" build -f "$dockerfile" -t "$ref"
    --build-arg "VERSION=$TAG"
    --build-arg "REVISION=$(revision)"
    --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    --build-arg "SOURCE_URL=$(source_url)")
  if [[ -n "${PLATFORM:-}" ]]; then
    cmd+=(--platform "$PLATFORM")
  fi
  if [[ -n "${BUILD_ARGS:-}" ]]; then
    local extra
    read -r -a extra <<<"$BUILD_ARGS"
    cmd+=("${extra[@]}")
  fi
  cmd+=("$context")
  echo "+ ${cmd[*]}"
  # BuildKit: the Dockerfiles use --platform=\$BUILDPLATFORM and COPY --chmod.
  DOCKER_BUILDKIT=1 "${cmd[@]}"
  echo "built $ref"
}

what="${1:-all}"
case "$what" in
  -h | --help)
    usage
    exit 0
    ;;
  all | operator | node-patch | tags) ;;
  *)
    usage >&2
    exit 2
    ;;
esac

TAG="${IMAGE_TAG:-$(project_version)}"
[[ -n "$TAG" ]] || die "cannot read the project version from $ROOT/pom.xml; set IMAGE_TAG."
OPERATOR_REF="${OPERATOR_IMAGE:-ghcr.io/patchwarden/operator}:$TAG"
NODE_PATCH_REF="${NODE_PATCH_IMAGE:-ghcr.io/patchwarden/node-patch}:$TAG"

if [[ "$what" == tags ]]; then
  echo "$OPERATOR_REF"
  echo "$NODE_PATCH_REF"
  exit 0
fi

ENGINE="$(engine)"
if [[ "$(basename "$ENGINE")" == docker ]] && ! "$ENGINE" buildx version >/dev/null 2>&1; then
  die "docker's buildx plugin (BuildKit) is missing; install docker-buildx-plugin, or use podman."
fi
cd "$ROOT"
if [[ "$what" == all || "$what" == operator ]]; then
  build "$ENGINE" "$OPERATOR_REF" Dockerfile .
fi
if [[ "$what" == all || "$what" == node-patch ]]; then
  build "$ENGINE" "$NODE_PATCH_REF" images/node-patch/Dockerfile images/node-patch
fi
