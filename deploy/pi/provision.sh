#!/usr/bin/env bash
# Turns a fresh Raspberry Pi OS Lite (Bookworm, 64-bit) into a Congélo kiosk, in one command, as
# root:
#
#   sudo ./provision.sh [--package FILE.deb | --repo 'deb [signed-by=…] URL SUITE COMPONENT']
#                       [--config kiosk.toml] HUB_URL ENROLMENT_CODE
#
# It installs the congelo-kiosk package (from a file, or from an apt repository line; without
# either, a congelo-kiosk_*_arm64.deb in the current directory or the one already installed),
# writes /etc/congelo/kiosk.toml (the --config file, else the package's: the wiring of
# deploy/pi/README.md), enrols the kiosk with the hub, enables the 1-Wire overlay when a
# temperature probe is configured, turns off the console login and screen blanking on the kiosk's
# display, keeps the journal small and in RAM, enables time synchronisation and the hardware
# watchdog, and enables and starts the kiosk. Each step checks first and changes only what differs:
# a second run with the same arguments changes nothing. A wrong code or an unreachable hub stops it
# with what to check, after installing the package and its settings and before any other change.
#
# Environment (for tests; the defaults are the Pi's): CONGELO_BOOT_DIR (/boot/firmware).
set -euo pipefail

usage() {
    sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

package=""
repo=""
config=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --package) package="${2:?--package needs a .deb file}"; shift 2 ;;
        --repo) repo="${2:?--repo needs an apt source line}"; shift 2 ;;
        --config) config="${2:?--config needs a file}"; shift 2 ;;
        -h | --help) usage ;;
        -*) echo "unknown option: $1" >&2; usage ;;
        *) args+=("$1"); shift ;;
    esac
done
[ ${#args[@]} -eq 2 ] || usage
hub="${args[0]%/}"
code="${args[1]}"

fail() {
    echo >&2
    echo "provision: $*" >&2
    exit 1
}
changes=0
changed() {
    echo "  changed: $*"
    changes=$((changes + 1))
}
step() { echo "== $*"; }

[ "$(id -u)" -eq 0 ] || fail "run me as root: sudo $0 …"
case "$hub" in
    http://* | https://*) ;;
    *) fail "the hub address «$hub» must start with https:// (or http:// on a local network)" ;;
esac
[ -z "$package" ] || [ -f "$package" ] || fail "no package file $package"
[ -z "$config" ] || [ -f "$config" ] || fail "no settings file $config"
export DEBIAN_FRONTEND=noninteractive

# Writes stdin to FILE (mode MODE) only when its content differs.
put_file() {
    local file="$1" mode="$2" new
    new=$(mktemp)
    cat >"$new"
    if [ -f "$file" ] && cmp -s "$new" "$file"; then
        rm -f "$new"
        return 0
    fi
    mkdir -p "$(dirname "$file")"
    install -m "$mode" "$new" "$file"
    rm -f "$new"
    changed "$file"
}

# Appends LINE to FILE unless a line equal to it is there.
ensure_line() {
    local file="$1" line="$2"
    if [ -f "$file" ] && grep -qxF -- "$line" "$file"; then
        return 0
    fi
    printf '%s\n' "$line" >>"$file"
    changed "$file: added «$line»"
}

systemd_running() { [ -d /run/systemd/system ]; }

step "package"
installed_version() { dpkg-query -W -f='${Status} ${Version}' congelo-kiosk 2>/dev/null | sed -n 's/^install ok installed //p'; }
if [ -z "$package" ] && [ -z "$repo" ] && [ -z "$(installed_version)" ]; then
    for candidate in ./congelo-kiosk_*_arm64.deb; do
        [ -f "$candidate" ] && package="$candidate"
    done
    [ -n "$package" ] || fail "congelo-kiosk is not installed: give --package congelo-kiosk_…_arm64.deb or --repo '…'"
fi
if [ -n "$package" ]; then
    wanted=$(dpkg-deb -f "$package" Version)
    if [ "$(installed_version)" != "$wanted" ]; then
        apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold \
            "$(realpath "$package")"
        changed "congelo-kiosk $wanted installed"
    fi
elif [ -n "$repo" ]; then
    echo "$repo" | put_file /etc/apt/sources.list.d/congelo.list 644
    if [ "$changes" -gt 0 ] || [ -z "$(installed_version)" ]; then
        apt-get update
        apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold congelo-kiosk
        changed "congelo-kiosk $(installed_version) installed"
    fi
fi
echo "  congelo-kiosk $(installed_version)"

step "settings"
if [ -n "$config" ]; then
    put_file /etc/congelo/kiosk.toml 644 <"$config"
fi
[ -f /etc/congelo/kiosk.toml ] || fail "no /etc/congelo/kiosk.toml: give --config FILE"
setting() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"#]*\)\"\{0,1\}.*/\1/p" /etc/congelo/kiosk.toml | head -n 1 | sed 's/[[:space:]]*$//'; }
db=$(setting db)
db="${db:-/var/lib/congelo/kiosk.db}"
echo "  /etc/congelo/kiosk.toml (database $db)"

step "enrolment with $hub"
host="${hub#*://}"
host="${host%%/*}"
host="${host%:*}"
marker=/var/lib/congelo/provisioned
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$hub" ]; then
    echo "  already enrolled with $hub"
else
    install -d -o congelo -g congelo -m 750 "$(dirname "$db")"
    if systemd_running && systemctl is-active --quiet congelo-kiosk; then
        systemctl stop congelo-kiosk
    fi
    if ! output=$(runuser -u congelo -- congelo-kiosk enrol --db "$db" --hub "$hub" --code "$code" 2>&1); then
        echo "$output" >&2
        case "$output" in
            *"cannot be reached"*)
                fail "the hub at $hub cannot be reached. Check the address (open $hub/healthz in a \
browser: it says ok), that this Pi is online (ping 1.1.1.1) and can resolve the name \
(getent hosts $host), and that the hub is running. Nothing was changed on this Pi \
besides the package." ;;
            *"refused"*)
                fail "the hub refused the code. Check that you typed the code the hub printed for \
this kiosk (kiosk add / kiosk code, or the kiosk's page), that it was not used already and is less \
than 7 days old; make a new one with: congelo-hub kiosk code --kiosk N" ;;
            *"enrolment code"* | *"not a"*)
                fail "«$code» is not an enrolment code. Check it for typos: it starts with CGE1 and \
is printed once by the hub (kiosk add / kiosk code)." ;;
            *)
                fail "enrolment failed (above). Check the hub address and the code." ;;
        esac
    fi
    printf '  %s\n' "$output"
    printf '%s\n' "$hub" | put_file "$marker" 644
fi

step "1-Wire temperature probe"
boot="${CONGELO_BOOT_DIR:-/boot/firmware}"
if [ "$(setting simulated)" = "false" ] && [ "$(setting temperature_probe)" = "true" ]; then
    [ -f "$boot/config.txt" ] || fail "no $boot/config.txt: is this Raspberry Pi OS?"
    ensure_line "$boot/config.txt" "dtoverlay=w1-gpio"
else
    echo "  no probe configured"
fi

step "console and screen"
if [ "$(systemctl is-enabled getty@tty1.service 2>/dev/null || true)" != "masked" ]; then
    systemctl mask getty@tty1.service
    changed "getty@tty1 masked (no login prompt on the kiosk's screen)"
fi
if [ -f "$boot/cmdline.txt" ]; then
    if ! grep -qw "consoleblank=0" "$boot/cmdline.txt"; then
        sed -i '1 s/$/ consoleblank=0/' "$boot/cmdline.txt"
        changed "$boot/cmdline.txt: consoleblank=0 (the screen never blanks)"
    fi
else
    echo "  no $boot/cmdline.txt: screen blanking left as it is"
fi

step "journal in RAM, small"
put_file /etc/systemd/journald.conf.d/congelo.conf 644 <<'EOF'
# Written by congelo's provision.sh: the journal lives in RAM (spares the SD card), 32 MB at most.
[Journal]
Storage=volatile
RuntimeMaxUse=32M
EOF

step "time synchronisation"
if ! dpkg-query -W -f='${Status}' systemd-timesyncd 2>/dev/null | grep -q "install ok installed" \
    && ! dpkg-query -W -f='${Status}' chrony 2>/dev/null | grep -q "install ok installed"; then
    apt-get install -y --no-install-recommends systemd-timesyncd
    changed "systemd-timesyncd installed"
fi
if dpkg-query -W -f='${Status}' systemd-timesyncd 2>/dev/null | grep -q "install ok installed" \
    && ! systemctl is-enabled --quiet systemd-timesyncd.service; then
    systemctl enable systemd-timesyncd.service
    changed "systemd-timesyncd enabled"
fi

step "hardware watchdog"
put_file /etc/systemd/system.conf.d/congelo-watchdog.conf 644 <<'EOF'
# Written by congelo's provision.sh: systemd pets the board's hardware watchdog; a board that
# hangs for 15 s (the BCM2835 watchdog's longest) is reset, and a reboot that hangs for 2 min too.
[Manager]
RuntimeWatchdogSec=15s
RebootWatchdogSec=2min
EOF

step "kiosk service"
if ! systemctl is-enabled --quiet congelo-kiosk.service; then
    systemctl enable congelo-kiosk.service
    changed "congelo-kiosk enabled"
fi
if systemd_running; then
    systemctl daemon-reload
    if [ "$changes" -gt 0 ] || ! systemctl is-active --quiet congelo-kiosk; then
        systemctl restart congelo-kiosk
        echo "  congelo-kiosk started"
    fi
else
    echo "  systemd is not running here: the kiosk starts at the next boot"
fi

echo
if [ "$changes" -eq 0 ]; then
    echo "provision: nothing to change, this kiosk is set up"
else
    echo "provision: $changes change(s) made. Reboot once (sudo reboot) for the boot settings, the"
    echo "journal and the watchdog to apply: the kiosk starts on its own."
fi
