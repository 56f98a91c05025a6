#!/usr/bin/env bash
# Builds Congélo's Debian packages with cargo-deb (metadata in Cargo.toml):
#   congelo-hub   for amd64 and arm64,
#   congelo-kiosk for arm64 (the Raspberry Pi: LinuxKMS backend, feature `pi`).
# The arm64 packages are cross-compiled as deploy/pi/build-kiosk.sh does, in one shared target
# directory (target/pi/) so the two arm64 builds share their common dependencies.
#
#   deploy/build-packages.sh [--profile PROFILE] [--revision N] [--out DIR] [--fast]
#                            [hub-amd64 hub-arm64 kiosk-arm64]
#
# --profile: the cargo profile (default `release`; CI's test packages use `dev`, unoptimised).
# --revision: the Debian revision (the part after the dash in 0.1.0-1; default from Cargo.toml).
# --out: where the .deb files go (default target/packages/; cargo-deb deletes older versions
# of a package from its own target/debian/).
# --fast: lighter compression (larger files, quicker; for CI's test packages).
# Without names, builds all three. Prints each package's path, size and build time.
#
# Needs, once, as root: `cargo install cargo-deb --locked`, and for arm64 the cross toolchain and
# headers listed at the top of deploy/pi/build-kiosk.sh (`.ci/install-packages --packaging`
# installs them all).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
revision=""
fast=""
out="$PWD/target/packages"
builds=()
while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile="$2"; shift 2 ;;
        --revision) revision="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --fast) fast=--fast; shift ;;
        hub-amd64 | hub-arm64 | kiosk-arm64) builds+=("$1"); shift ;;
        *) echo "unknown argument: $1 (see the top of $0)" >&2; exit 2 ;;
    esac
done
[ ${#builds[@]} -gt 0 ] || builds=(hub-amd64 hub-arm64 kiosk-arm64)
command -v cargo-deb >/dev/null || { echo "missing cargo-deb: cargo install cargo-deb --locked" >&2; exit 1; }
mkdir -p "$out"

arm64=aarch64-unknown-linux-gnu
# Sourced in the arm64 builds' subshell only: the amd64 build keeps the host's settings.
cross_env() {
    # shellcheck source=deploy/pi/cross-env.sh
    source deploy/pi/cross-env.sh
}

build() {
    local variant="$1" target="$2"
    local args=(--locked --variant "$variant" --profile "$profile" --output "$out")
    [ -z "$revision" ] || args+=(--deb-revision "$revision")
    [ -z "$fast" ] || args+=("$fast")
    local start
    start=$(date +%s)
    if [ "$target" = "$arm64" ]; then
        (
            cross_env
            export CARGO_TARGET_DIR="${CONGELO_ARM64_TARGET_DIR:-$PWD/target/pi}"
            cargo deb "${args[@]}" --target "$arm64"
        )
    else
        cargo deb "${args[@]}"
    fi | tail -n 1 | while read -r deb; do
        echo "built $deb ($(du -h "$deb" | cut -f1), $(($(date +%s) - start)) s)"
    done
}

for name in "${builds[@]}"; do
    case "$name" in
        hub-amd64) build hub x86_64-unknown-linux-gnu ;;
        hub-arm64) build hub "$arm64" ;;
        kiosk-arm64) build kiosk "$arm64" ;;
    esac
done
