#!/usr/bin/env bash
# Checks built packages with lintian (any error fails; warnings are listed) and smoke-tests their
# arm64 binaries under qemu-aarch64: `--version` for each, and the kiosk's `decode` of a GTIN.
#
#   deploy/tests/lint-packages.sh PACKAGE.deb…
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/tests/lib.sh
source deploy/tests/lib.sh

[ $# -gt 0 ] || die "usage: $0 PACKAGE.deb…"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
errors=0
for deb in "$@"; do
    say "lintian $(basename "$deb")"
    lintian --tag-display-limit 0 \
        "$deb" >"$scratch/lintian" 2>&1 || true
    cat "$scratch/lintian"
    if grep -q '^E: ' "$scratch/lintian"; then
        errors=$((errors + 1))
    fi
    echo "$(grep -c '^E: ' "$scratch/lintian" || true) error(s), $(grep -c '^W: ' "$scratch/lintian" || true) warning(s)"
    if [ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ]; then
        package=$(dpkg-deb -f "$deb" Package)
        dpkg-deb -x "$deb" "$scratch/$package"
        binary="$scratch/$package/usr/bin/$package"
        say "qemu-aarch64-static $package"
        qemu-aarch64-static -L /usr/aarch64-linux-gnu "$binary" --version
        if [ "$package" = congelo-kiosk ]; then
            qemu-aarch64-static -L /usr/aarch64-linux-gnu "$binary" decode 0627000000016 | tee "$scratch/decode"
            grep -q '0627000000016' "$scratch/decode" || die "decode"
        fi
    fi
done
[ "$errors" -eq 0 ] || die "lintian reported errors in $errors package(s)"
say "packages: lintian without errors, arm64 binaries run"
