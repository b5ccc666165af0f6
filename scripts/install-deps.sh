#!/usr/bin/env bash
# Installs the Debian packages beaconwatch needs to build, test, fuzz and benchmark.
# Idempotent: packages already present are skipped, and apt is only touched when
# something is missing. Run as root (CI and the development machines are root).
set -euo pipefail

# Build and library dependencies (see README "Dependencies").
BUILD_PKGS=(
  build-essential cmake pkg-config git ca-certificates
  libgmime-3.0-dev libglib2.0-dev
  libpsl-dev publicsuffix libidn2-dev libicu-dev
  libjansson-dev libsqlite3-dev libpcre2-dev zlib1g-dev nettle-dev
  libmilter-dev
  libcmocka-dev
)
# Test oracles and fuzzing: gumbo (HTML5 reference), Python's email package
# (MIME reference), clang + compiler-rt for libFuzzer and the sanitizer build.
TEST_PKGS=(
  libgumbo-dev python3 clang libclang-rt-14-dev llvm
)

want=("${BUILD_PKGS[@]}")
if [ "${1:-}" != "--build-only" ]; then
  want+=("${TEST_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
