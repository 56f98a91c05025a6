#!/usr/bin/env bash
# Cross-compiles the kiosk for a Raspberry Pi 4/5 (64-bit Raspberry Pi OS Bookworm) from a Debian 12
# x86_64 machine: release build, LinuxKMS backend without a seat manager, software renderer
# (`--no-default-features --features pi`). Prints where the binary is and its size.
#
# Once, as root, install the cross toolchain and the arm64 headers Slint's LinuxKMS backend links:
#   rustup target add aarch64-unknown-linux-gnu
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install -y gcc-aarch64-linux-gnu \
#       libudev-dev:arm64 libinput-dev:arm64 libxkbcommon-dev:arm64 libfontconfig-dev:arm64 \
#       libasound2-dev:arm64
# (and `qemu-user` to smoke-test the result here: see deploy/pi/README.md).
#
# The settings below apply to this target only, so they live here rather than in
# .cargo/config.toml, and a plain `cargo build` is untouched. The target directory defaults to
# target/pi/ (a release Slint build is several hundred MB); set CARGO_TARGET_DIR to
# put it elsewhere. A first build takes several minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/pi}"
# shellcheck source=deploy/pi/cross-env.sh
source deploy/pi/cross-env.sh
target=$arm64

start=$(date +%s)
cargo build --locked --release --target "$target" \
    --no-default-features --features pi --bin congelo-kiosk "$@"
binary="$CARGO_TARGET_DIR/$target/release/congelo-kiosk"
echo "built $binary ($(du -h "$binary" | cut -f1), $(($(date +%s) - start)) s)"
file "$binary" 2>/dev/null || true
