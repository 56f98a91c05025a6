# The settings a cross-compilation for the Raspberry Pi (arm64) needs, for that target only, so a
# plain `cargo build` is untouched; and a check that the cross toolchain is installed (see the top
# of deploy/pi/build-kiosk.sh). Sourced by build-kiosk.sh and deploy/build-packages.sh.
# shellcheck shell=bash

arm64=aarch64-unknown-linux-gnu
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
# C code built by -sys crates (bundled SQLite) uses the cross compiler too.
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
# Debian's wrapper points pkg-config at the arm64 .pc files in /usr/lib/aarch64-linux-gnu.
export PKG_CONFIG_aarch64_unknown_linux_gnu=aarch64-linux-gnu-pkg-config
export PKG_CONFIG_ALLOW_CROSS=1

for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-pkg-config; do
    command -v "$tool" >/dev/null \
        || { echo "missing $tool: see the top of deploy/pi/build-kiosk.sh" >&2; exit 1; }
done
rustup target list --installed 2>/dev/null | grep -qx "$arm64" \
    || { echo "missing the Rust target: rustup target add $arm64" >&2; exit 1; }
