#!/usr/bin/env bash
# Installs Gateway as a systemd service on Debian/Ubuntu. Safe to run again: it upgrades the program and
# keeps the data, the environment file and its generated secrets.
#
#   sudo scripts/setup.sh                 build from this checkout (needs the .NET SDK) and install
#   sudo scripts/setup.sh --from DIR      install an already published build (needs the ASP.NET Core runtime)
#   sudo scripts/setup.sh --uninstall     remove program and service; keep sessions and settings
#   sudo scripts/setup.sh --uninstall --purge   remove sessions and settings too
#   --root DIR   install under DIR instead of / (packaging and tests): no user, no systemctl, no apt
#   --port N     listen on 127.0.0.1:N (default 3000) when the environment file is first written
set -euo pipefail

ROOT=""
FROM=""
UNINSTALL=0
PURGE=0
PORT=3000

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --from) FROM="${2:?--from needs a folder}"; shift 2 ;;
    --root) ROOT="${2:?--root needs a folder}"; shift 2 ;;
    --port) PORT="${2:?--port needs a number}"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "setup: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$PORT" in ''|*[!0-9]*) echo "setup: --port must be a number" >&2; exit 2 ;; esac

APP_DIR="$ROOT/opt/gateway"
STATE_DIR="$ROOT/var/lib/gateway"
LOG_DIR="$ROOT/var/log/gateway"
ETC_DIR="$ROOT/etc/gateway"
ENV_FILE="$ETC_DIR/gateway.env"
UNIT_FILE="$ROOT/etc/systemd/system/gateway.service"
BIN_LINK="$ROOT/usr/local/bin/gateway"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

live() { [ -z "$ROOT" ]; }
say() { printf 'setup: %s\n' "$*"; }

if live && [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root (sudo $0 $*)" >&2
  exit 1
fi

systemctl_() {
  if ! live; then
    say "(root mode) would run: systemctl $*"
  elif ! command -v systemctl >/dev/null 2>&1 || [ ! -d /run/systemd/system ]; then
    say "no systemd here: files installed; start it yourself with /opt/gateway/gateway serve (skipped: systemctl $*)"
  else
    systemctl "$@"
  fi
}

if [ "$UNINSTALL" -eq 1 ]; then
  if live && systemctl list-unit-files gateway.service >/dev/null 2>&1; then
    systemctl disable --now gateway.service || true
  fi
  rm -f "$UNIT_FILE" "$BIN_LINK"
  rm -rf "$APP_DIR"
  if live; then systemctl daemon-reload || true; fi
  if [ "$PURGE" -eq 1 ]; then
    rm -rf "$STATE_DIR" "$LOG_DIR" "$ETC_DIR"
    live && { userdel gateway 2>/dev/null || true; }
    say "removed Gateway, its sessions and its settings"
  else
    say "removed Gateway; sessions kept in $STATE_DIR, settings in $ENV_FILE (--purge removes them)"
  fi
  exit 0
fi

# 1. The runtime: a published build needs ASP.NET Core 10; building here needs the SDK.
has_runtime() { command -v dotnet >/dev/null 2>&1 && dotnet --list-runtimes 2>/dev/null | grep -q '^Microsoft.AspNetCore.App 10\.'; }
if live && ! has_runtime; then
  say "installing the ASP.NET Core 10 runtime"
  apt-get update -q
  apt-get install -y -q aspnetcore-runtime-10.0 || {
    echo "setup: no aspnetcore-runtime-10.0 package in this system's sources; install .NET 10 and run again" >&2
    exit 1
  }
fi

# 2. The program.
STAGE=""
if [ -z "$FROM" ]; then
  command -v dotnet >/dev/null 2>&1 || { echo "setup: building needs the .NET 10 SDK; or pass --from a published folder" >&2; exit 1; }
  STAGE="$(mktemp -d)"
  say "publishing from $HERE"
  dotnet publish "$HERE/src/Gateway/Gateway.csproj" -c Release -o "$STAGE" --nologo -v quiet
  FROM="$STAGE"
fi
[ -f "$FROM/gateway.dll" ] || { echo "setup: $FROM does not hold a published gateway (gateway.dll)" >&2; exit 1; }

if live && ! id gateway >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/gateway --no-create-home --shell /usr/sbin/nologin gateway
  say "created system user gateway"
fi

mkdir -p "$APP_DIR.new"
cp -a "$FROM/." "$APP_DIR.new/"
rm -rf "$APP_DIR.old"
[ -d "$APP_DIR" ] && mv "$APP_DIR" "$APP_DIR.old"
mv "$APP_DIR.new" "$APP_DIR"
rm -rf "$APP_DIR.old"
[ -n "$STAGE" ] && rm -rf "$STAGE"
chmod 0755 "$APP_DIR"
[ -f "$APP_DIR/gateway" ] && chmod 0755 "$APP_DIR/gateway"
mkdir -p "$(dirname "$BIN_LINK")"
ln -sfn /opt/gateway/gateway "$BIN_LINK"

# 3. State and logs, owned by the service user.
mkdir -p "$STATE_DIR/sessions" "$LOG_DIR"
chmod 0750 "$STATE_DIR" "$STATE_DIR/sessions" "$LOG_DIR"
live && chown -R gateway:gateway "$STATE_DIR" "$LOG_DIR"

# 4. Settings: written once; later runs only add what is missing, so keys survive upgrades.
mkdir -p "$ETC_DIR"
chmod 0750 "$ETC_DIR"
touch "$ENV_FILE"
chmod 0640 "$ENV_FILE"
live && chown root:gateway "$ETC_DIR" "$ENV_FILE"
random_key() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
add_missing() {
  grep -q "^$1=" "$ENV_FILE" || { printf '%s=%s\n' "$1" "$2" >> "$ENV_FILE"; say "wrote $1 to $ENV_FILE"; }
}
add_missing GATEWAY_URLS "http://127.0.0.1:$PORT"
# The CLI reads this file too, so it finds the same folders as the service.
add_missing GATEWAY_SESSIONS_DIR "/var/lib/gateway/sessions"
add_missing GATEWAY_LOGS_DIR "/var/log/gateway"
add_missing GATEWAY_API_KEY "gwa_$(random_key)"
add_missing GATEWAY_WEBHOOK_SECRET "whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
add_missing GATEWAY_WEBHOOK_URL ""

# 5. The service.
mkdir -p "$(dirname "$UNIT_FILE")"
install -m 0644 "$HERE/systemd/gateway.service" "$UNIT_FILE"
systemctl_ daemon-reload
systemctl_ enable gateway.service
systemctl_ restart gateway.service

URL="$(grep '^GATEWAY_URLS=' "$ENV_FILE" | head -n1 | cut -d= -f2-)"
say "Gateway is installed and running at $URL"
say "admin key: sudo grep GATEWAY_API_KEY $ENV_FILE"
say "status: systemctl status gateway   logs: journalctl -u gateway -f   sessions: sudo -u gateway gateway sessions list"
