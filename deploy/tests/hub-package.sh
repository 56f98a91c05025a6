#!/usr/bin/env bash
# Installs the congelo-hub package into a clean Debian 12 root made with debootstrap, runs the hub
# as its systemd unit would (the unit's user, working directory, environment and command line, read
# from the installed unit), initialises it and checks it answers HTTP on loopback; then installs a
# newer build (next Debian revision) over it and checks the database and the edited settings
# survived; then removes it (data kept) and purges it (data gone).
#
#   deploy/tests/hub-package.sh OLD.deb NEW.deb
#
# As root, on Debian with debootstrap; the root lives under target/ and is deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/tests/lib.sh
source deploy/tests/lib.sh

[ $# -eq 2 ] || die "usage: $0 OLD.deb NEW.deb"
old="$1"
new="$2"
trap remove_root EXIT
make_root "$PWD/target/test-roots/hub-amd64" amd64
cp "$old" "$new" "$root/tmp/"

say "install $(basename "$old")"
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$old")" >/dev/null
in_root dpkg -s congelo-hub | grep '^Version:'
in_root getent passwd congelo || die "no congelo user"
[ "$(in_root stat -c %U:%G:%a /var/lib/congelo)" = "congelo:congelo:750" ] || die "state directory"
[ "$(in_root stat -c %U:%G:%a /etc/congelo/hub.toml)" = "root:congelo:640" ] || die "settings mode"
# shellcheck disable=SC2016 # a dpkg-query format, not shell
in_root dpkg-query --showformat='${Conffiles}\n' --show congelo-hub | grep -q /etc/congelo/hub.toml \
    || die "hub.toml is not a conffile"
[ -L "$root/etc/systemd/system/multi-user.target.wants/congelo-hub.service" ] \
    && die "the unit is enabled before init"
for backup_unit in congelo-hub-backup.service congelo-hub-backup.timer; do
    [ -f "$root/usr/lib/systemd/system/$backup_unit" ] || die "$backup_unit is not in the package"
done

# What the unit runs, as whom, where, with which environment.
unit="$root/usr/lib/systemd/system/congelo-hub.service"
key() { sed -n "s/^$1=//p" "$unit"; }
user=$(key User)
group=$(key Group)
workdir=$(key WorkingDirectory)
read -r -a exec_start <<<"$(key ExecStart)"
environment=()
while read -r assignment; do
    [ -n "$assignment" ] && environment+=("$assignment")
done < <(key Environment)
config=/etc/congelo/hub.toml
# shellcheck disable=SC2016 # the inner shell expands them
as_service() {
    chroot "$root" setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs -- \
        env -i PATH=/usr/sbin:/usr/bin HOME="$workdir" USER="$user" LANG=C.UTF-8 "${environment[@]}" \
        sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"
}

# The administrator edits the settings (a conffile): any free port on loopback.
sed -i 's/^listen = .*/listen = "127.0.0.1:0"/' "$root$config"

say "init as $user"
as_service env CONGELO_HUB_ADMIN_PASSWORD=correct-horse-battery /usr/bin/congelo-hub --config "$config" init --admin admin
as_service /usr/bin/congelo-hub --config "$config" territory add --name "Test territory"
as_service /usr/bin/congelo-hub --config "$config" site add --name "Test site" --territory 1
as_service /usr/bin/congelo-hub --config "$config" kiosk add --name "Kiosk kept across upgrades" --site 1 >/dev/null
[ "$(in_root stat -c %U /var/lib/congelo/hub.db)" = "$user" ] || die "hub.db not owned by $user"

hub_log="$root/tmp/hub.out"
start_hub() {
    : >"$hub_log"
    as_service "${exec_start[@]}" >"$hub_log" 2>&1 &
    hub_pid=$!
    wait_for 60 grep -q '^listening on ' "$hub_log" || { cat "$hub_log" >&2; die "the hub did not start"; }
    url=$(sed -n 's/^listening on //p' "$hub_log")
    [ "$(curl -fsS "$url/healthz")" = ok ] || die "$url/healthz"
    curl -fsS -o /dev/null "$url/login" || die "$url/login"
    echo "the hub answers at $url (healthz: ok; login page served)"
}
# The background job is a subshell whose child is the hub itself (chroot, setpriv, env and sh all
# exec): stop the hub as systemd would, with SIGTERM, and wait for it to be gone, so the next start
# does not find the database still served.
stop_hub() {
    pkill -TERM -P "$hub_pid" || true
    wait "$hub_pid" || true
}

say "start as the unit does: ${exec_start[*]}"
start_hub
stop_hub

say "upgrade to $(basename "$new")"
sum_before=$(sha256sum "$root$config" | cut -d' ' -f1)
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$new")" >/dev/null
in_root dpkg -s congelo-hub | grep '^Version:'
[ "$(sha256sum "$root$config" | cut -d' ' -f1)" = "$sum_before" ] || die "the edited settings were replaced"
as_service /usr/bin/congelo-hub --config "$config" kiosk list | grep -q "Kiosk kept across upgrades" \
    || die "the database lost its kiosk"
echo "settings kept (sha256 $sum_before), database kept (its kiosk is listed)"
start_hub
stop_hub

say "remove keeps the data, purge deletes it"
in_root apt-get remove -y congelo-hub >/dev/null
[ -f "$root/var/lib/congelo/hub.db" ] || die "remove deleted the database"
[ -f "$root$config" ] || die "remove deleted the settings"
in_root apt-get purge -y congelo-hub >/dev/null
[ ! -e "$root/var/lib/congelo" ] || die "purge left /var/lib/congelo"
[ ! -e "$root/etc/congelo" ] || die "purge left /etc/congelo"
echo "removed: database and settings kept; purged: both gone"
say "hub package: passed"
