#!/usr/bin/env bash
# Makes the clean Debian 12 roots the package tests start from, one per ARCH given, as tarballs in
# CONGELO_ROOT_CACHE (which the tests' make_root then unpacks instead of debootstrapping). CI runs
# it in the background while the packages compile, so the downloads overlap the build.
#   CONGELO_ROOT_CACHE=target/root-cache deploy/tests/prefetch-roots.sh amd64 arm64
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/tests/lib.sh
source deploy/tests/lib.sh
: "${CONGELO_ROOT_CACHE:?set CONGELO_ROOT_CACHE to a folder}"
mkdir -p "$CONGELO_ROOT_CACHE"
for arch in "$@"; do
    cache="$CONGELO_ROOT_CACHE/bookworm-$arch.tar"
    [ -f "$cache" ] && continue
    start=$(date +%s)
    dir="$CONGELO_ROOT_CACHE/root-$arch"
    rm -rf "$dir"
    bootstrap "$dir" "$arch"
    tar -cf "$cache.partial" -C "$dir" . && mv "$cache.partial" "$cache"
    rm -rf "$dir"
    say "Debian 12 $arch root cached in $cache: $(($(date +%s) - start)) s"
done
