#!/usr/bin/env bash
# Makes the system-level prerequisites of srkit's test suite present, idempotently:
#   1. Chromium (Debian package) for the living-documentation browser test;
#   2. a Docker engine that answers, for the container target (installs docker.io and starts
#      dockerd in the background when none answers; never stops an engine it did not start);
#   3. the local base image local/srkit-node-base:<node major>, built from this project's Node
#      binary, because no container registry is reachable to pull one from.
# Where it cannot act (not root, not Debian) it says what the user must provide and exits 3;
# the tests that need the missing piece then fail with that message instead of skipping.
set -euo pipefail

say() { printf '[prerequisites] %s\n' "$*"; }
cannot() { printf '[prerequisites] CANNOT: %s\n' "$*" >&2; exit 3; }

here=$(cd "$(dirname "$0")/../.." && pwd)
node_bin="$here/node_modules/node/bin/node"
[ -x "$node_bin" ] || cannot "Node 24 is not installed in node_modules; run 'npm ci' first."
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
base_image="local/srkit-node-base:$node_major"
docker_cli=/usr/bin/docker

is_root() { [ "$(id -u)" = 0 ]; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }
apt_updated=""
apt_install() {
  is_root && is_debian || cannot "install the Debian packages '$*' (or their equivalent) yourself: this script installs them only as root on Debian."
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Chromium ---------------------------------------------------------------------------
if [ -x /usr/bin/chromium ]; then
  say "chromium present"
else
  apt_install chromium
fi

# 2. Docker engine ----------------------------------------------------------------------
# Debian's client is used on purpose: another client version may sit earlier on PATH.
[ -x "$docker_cli" ] || apt_install docker.io
if "$docker_cli" info >/dev/null 2>&1; then
  say "a Docker engine answers"
else
  command -v dockerd >/dev/null || apt_install docker.io
  is_root || cannot "no Docker engine answers and starting one needs root: start dockerd yourself."
  say "starting dockerd in the background (log: /var/log/srkit-dockerd.log)"
  nohup dockerd >/var/log/srkit-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    "$docker_cli" info >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$docker_cli" info >/dev/null 2>&1 || cannot "dockerd did not answer within 30 s; see /var/log/srkit-dockerd.log"
  say "dockerd answers"
fi

# 3. Local base image ----------------------------------------------------------------------
if "$docker_cli" image inspect "$base_image" >/dev/null 2>&1; then
  say "base image $base_image present"
else
  say "building $base_image from $(basename "$node_bin") $("$node_bin" --version) and the libraries it links"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage/usr/local/bin" "$stage/tmp" "$stage/etc"
  chmod 1777 "$stage/tmp"
  cp "$node_bin" "$stage/usr/local/bin/node"
  for lib in $(ldd "$node_bin" | grep -oE '/[^ ]+'); do
    mkdir -p "$stage$(dirname "$lib")"
    cp -L "$lib" "$stage$lib"
  done
  echo 'root:x:0:0:root:/root:/bin/false' >"$stage/etc/passwd"
  tar -C "$stage" -c . | "$docker_cli" import - "$base_image" >/dev/null
  say "built $base_image"
fi
say "ready"
