#!/usr/bin/env bash
# Runs deploy/pi/provision.sh in a clean Debian 12 arm64 root (the nearest to Raspberry Pi OS Lite
# reachable here) under qemu-user, against a real hub on loopback (the hub package's amd64 binary)
# with a real enrolment code: a wrong code and an unreachable hub stop it with what to check; with
# the right code it completes (package installed, settings written, kiosk enrolled, units enabled);
# a second run changes nothing (checksums of /etc, /boot and dpkg's status before and after); after
# the package is removed, `--repo` installs it again from an apt repository, and again changes
# nothing on a second run.
#
#   deploy/tests/provision.sh congelo-kiosk_…_arm64.deb congelo-hub_…_amd64.deb
#
# As root, with debootstrap and qemu-user-static registered in binfmt_misc (binfmt-support).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/tests/lib.sh
source deploy/tests/lib.sh

[ $# -eq 2 ] || die "usage: $0 KIOSK.deb HUB.deb"
kiosk_deb="$1"
hub_deb="$2"
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] \
    || die "qemu-aarch64 is not registered in binfmt_misc (apt-get install qemu-user-static binfmt-support)"

scratch=$(mktemp -d)
cleanup() {
    [ -z "${hub_pid:-}" ] || kill "$hub_pid" 2>/dev/null || true
    remove_root
    rm -rf "$scratch"
}
trap cleanup EXIT

say "a hub on loopback"
dpkg-deb -x "$hub_deb" "$scratch/hub"
hub_bin="$scratch/hub/usr/bin/congelo-hub"
hub() { "$hub_bin" --config "$scratch/hub.toml" "$@"; }
printf 'listen = "127.0.0.1:0"\ndatabase = "%s/hub.db"\n' "$scratch" >"$scratch/hub.toml"
CONGELO_HUB_ADMIN_PASSWORD=correct-horse-battery hub init --admin admin >/dev/null
hub territory add --name "Test territory" >/dev/null
hub site add --name "Test site" --territory 1 >/dev/null
code=$(hub kiosk add --name "Pi under qemu" --site 1 | sed -n 's/^enrolment code.*: //p')
[ -n "$code" ] || die "no enrolment code"
# A well-formed code from another hub: the one under test refuses it.
printf 'database = "%s/other.db"\n' "$scratch" >"$scratch/other.toml"
CONGELO_HUB_ADMIN_PASSWORD=correct-horse-battery "$hub_bin" --config "$scratch/other.toml" init >/dev/null
"$hub_bin" --config "$scratch/other.toml" territory add --name T >/dev/null
"$hub_bin" --config "$scratch/other.toml" site add --name S --territory 1 >/dev/null
other_code=$("$hub_bin" --config "$scratch/other.toml" kiosk add --name K --site 1 | sed -n 's/^enrolment code.*: //p')
"$hub_bin" --config "$scratch/hub.toml" serve >"$scratch/hub.out" 2>"$scratch/hub.err" &
hub_pid=$!
wait_for 60 grep -q '^listening on ' "$scratch/hub.out" || { cat "$scratch/hub.err" >&2; die "hub"; }
url=$(sed -n 's/^listening on //p' "$scratch/hub.out")
echo "hub at $url, enrolment code $code"

say "a Debian 12 arm64 root, as Raspberry Pi OS Lite: systemd, /boot/firmware"
make_root "$PWD/target/test-roots/pi-arm64" arm64
in_root apt-get install -y --no-install-recommends systemd >/dev/null
mkdir -p "$root/boot/firmware"
printf '[all]\n' >"$root/boot/firmware/config.txt"
printf 'console=serial0,115200 console=tty1 root=PARTUUID=0-02 rootfstype=ext4 fsck.repair=yes rootwait\n' \
    >"$root/boot/firmware/cmdline.txt"
cp "$kiosk_deb" deploy/pi/provision.sh "$root/root/"
deb="/root/$(basename "$kiosk_deb")"
provision() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /root/provision.sh "$@"; }

# expect_failure PATTERN ARGS…: provision.sh must fail and say PATTERN.
expect_failure() {
    local pattern="$1"
    shift
    if provision "$@" >"$scratch/out" 2>&1; then
        cat "$scratch/out"
        die "provision.sh succeeded with $*"
    fi
    grep -q "$pattern" "$scratch/out" || { cat "$scratch/out"; die "no «$pattern» in its message"; }
    echo "--- its message:"
    grep '^provision:' "$scratch/out"
}

say "unreachable hub"
expect_failure "cannot be reached" --package "$deb" http://127.0.0.1:9 "$code"
say "a code from another hub"
expect_failure "refused the code" --package "$deb" "$url" "$other_code"
say "a mistyped code"
expect_failure "not an enrolment code" --package "$deb" "$url" "CGE1TYPO"

say "provision, first run"
start=$(date +%s)
provision --package "$deb" "$url" "$code" | tee "$scratch/first"
echo "first run: $(($(date +%s) - start)) s"
in_root dpkg -s congelo-kiosk | grep -E '^(Status|Version):'
[ -f "$root/etc/congelo/kiosk.toml" ] || die "no kiosk.toml"
wants="$root/etc/systemd/system/multi-user.target.wants"
[ -L "$wants/congelo-kiosk.service" ] || die "congelo-kiosk not enabled"
[ -L "$root/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service" ] || die "timesyncd not enabled"
[ "$(readlink "$root/etc/systemd/system/getty@tty1.service")" = /dev/null ] || die "getty@tty1 not masked"
grep -qx "dtoverlay=w1-gpio" "$root/boot/firmware/config.txt" || die "no 1-Wire overlay"
grep -qw "consoleblank=0" "$root/boot/firmware/cmdline.txt" || die "screen blanking"
grep -qx "Storage=volatile" "$root/etc/systemd/journald.conf.d/congelo.conf" || die "journald"
grep -q "^RuntimeWatchdogSec=" "$root/etc/systemd/system.conf.d/congelo-watchdog.conf" || die "watchdog"
"$hub_bin" --config "$scratch/hub.toml" kiosk list | tee "$scratch/kiosks"
grep -q "Pi under qemu" "$scratch/kiosks" || die "kiosk list"
[ "$(in_root stat -c %U /var/lib/congelo/kiosk.db)" = congelo ] || die "kiosk.db not owned by congelo"
echo "installed, settings written, enrolled, units enabled, boot settings and journald set"

state() {
    (
        cd "$root"
        find etc boot lib/systemd var/lib/dpkg/status var/lib/congelo/provisioned -type f -print0 \
            | sort -z | xargs -0 sha256sum
        find etc boot lib/systemd -type l -printf '%p -> %l\n' | sort
    ) | sha256sum | cut -d' ' -f1
}

say "provision, second run"
before=$(state)
provision --package "$deb" "$url" "$code" | tee "$scratch/second"
after=$(state)
echo "state of /etc, /boot, units and dpkg status: before $before, after $after"
[ "$before" = "$after" ] || die "the second run changed something"
grep -q "nothing to change" "$scratch/second" || die "the second run did not say it changed nothing"
! grep -q "changed:" "$scratch/second" || die "the second run reported a change"
say "provision from an apt repository (--repo), after the package was removed"
# A signed-less repository on the root's own disk, and no other source: the run must install the
# kiosk from that repository alone.
mkdir -p "$root/root/repo"
cp "$kiosk_deb" "$root/root/repo/"
(cd "$root/root/repo" && dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null)
mv "$root/etc/apt/sources.list" "$scratch/sources.list"
in_root dpkg -r congelo-kiosk >/dev/null
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
if in_root dpkg-query -W -f='${Status}' congelo-kiosk 2>/dev/null | grep -q ' installed$'; then
    die "congelo-kiosk still installed"
fi
line='deb [trusted=yes] file:/root/repo ./'
provision --repo "$line" "$url" "$code" | tee "$scratch/third"
grep -q "changed: congelo-kiosk .* installed" "$scratch/third" || die "--repo installed nothing"
[ "$(cat "$root/etc/apt/sources.list.d/congelo.list")" = "$line" ] || die "the apt source line"
in_root dpkg -s congelo-kiosk | grep -q '^Status: install ok installed' || die "not installed"
[ -L "$wants/congelo-kiosk.service" ] || die "congelo-kiosk not enabled after --repo"
provision --repo "$line" "$url" "$code" | tee "$scratch/fourth"
grep -q "nothing to change" "$scratch/fourth" || die "a second --repo run changed something"
mv "$scratch/sources.list" "$root/etc/apt/sources.list"
say "provision: passed"
