# Shared by the package tests: a clean Debian 12 root made with debootstrap, under target/, with
# /proc and /dev mounted and everything removed on exit. Sourced, not run.
# shellcheck shell=bash

mirror="${CONGELO_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

say() { echo "== $*"; }
die() {
    echo "FAILED: $*" >&2
    exit 1
}

# bootstrap DIR ARCH: debootstraps bookworm (minbase) for ARCH into DIR; a foreign ARCH runs its
# second stage through qemu-user (binfmt_misc). Nothing is mounted.
bootstrap() {
    local dir="$1" arch="$2"
    mkdir -p "$dir"
    if [ "$arch" = "$(dpkg --print-architecture)" ]; then
        debootstrap --variant=minbase --arch "$arch" bookworm "$dir" "$mirror" >"$dir.log" 2>&1 \
            || { tail -n 20 "$dir.log" >&2; die "debootstrap $arch"; }
    else
        debootstrap --variant=minbase --arch "$arch" --foreign bookworm "$dir" "$mirror" \
            >"$dir.log" 2>&1 || { tail -n 20 "$dir.log" >&2; die "debootstrap --foreign $arch"; }
        chroot "$dir" /debootstrap/debootstrap --second-stage >>"$dir.log" 2>&1 \
            || { tail -n 20 "$dir.log" >&2; die "debootstrap second stage $arch (is binfmt_misc set up for qemu?)"; }
    fi
    rm -f "$dir.log"
}

# make_root DIR ARCH: a fresh root for ARCH in DIR (see `bootstrap`), with /proc and /dev mounted.
# The variable `root` names DIR afterwards. With CONGELO_ROOT_CACHE set to a folder, the fresh root
# is kept there as a tarball and unpacked instead of debootstrapped the next time (CI fills the
# cache in the background while the packages compile, with deploy/tests/prefetch-roots.sh).
make_root() {
    root="$1"
    local arch="$2" start cache=""
    start=$(date +%s)
    [ -z "${CONGELO_ROOT_CACHE:-}" ] || cache="$CONGELO_ROOT_CACHE/bookworm-$arch.tar"
    mkdir -p "$root"
    if [ -n "$cache" ] && [ -f "$cache" ]; then
        tar -xf "$cache" -C "$root"
    else
        bootstrap "$root" "$arch"
    fi
    if [ -n "$cache" ] && [ ! -f "$cache" ]; then
        mkdir -p "$CONGELO_ROOT_CACHE"
        tar -cf "$cache" -C "$root" .
    fi
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    mount -t proc proc "$root/proc"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    echo "Debian 12 $arch root ready${cache:+ (cache $cache)}: $(($(date +%s) - start)) s"
}

# Unmounts and deletes the root made by make_root (the EXIT trap).
remove_root() {
    [ -n "${root:-}" ] && [ -d "$root" ] || return 0
    # Processes started inside the root (the hub) first.
    local proc
    for proc in /proc/[0-9]*; do
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$(realpath "$root")" ]; then
            kill "${proc#/proc/}" 2>/dev/null || true
        fi
    done
    for mount in dev/pts dev proc; do
        mountpoint -q "$root/$mount" && umount -l "$root/$mount"
    done
    rm -rf --one-file-system "$root"
}

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# wait_for SECONDS COMMAND…: runs COMMAND until it succeeds, for at most SECONDS.
wait_for() {
    local deadline=$(($(date +%s) + $1))
    shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}
