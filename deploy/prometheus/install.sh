#!/usr/bin/env bash
# Install Prometheus and promtool (Debian package `prometheus`) when they are missing.
#
#   bash deploy/prometheus/install.sh
#
# Used by `make test`: the rule and config checks need promtool, and the observability
# integration test runs a real Prometheus on a free loopback port with its own
# configuration and storage directory (never the packaged service on :9090).
#
# The Debian package ships a systemd unit and an init script; installing it must not
# leave that service running on :9090, so service start-up is denied during the
# install (policy-rc.d) and any instance that starts anyway is stopped afterwards.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi

policy=/usr/sbin/policy-rc.d
created_policy=
if [[ ! -e $policy ]]; then
  # Exit code 101: "action forbidden"; invoke-rc.d then starts no service.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 0755 "$policy"
  created_policy=1
fi
cleanup() {
  if [[ -n $created_policy ]]; then
    $SUDO rm -f "$policy"
  fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold prometheus >/dev/null

# Belt and braces: the packaged service must not hold :9090 on this machine.
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
  $SUDO service prometheus stop >/dev/null 2>&1 || true
fi

command -v promtool >/dev/null && command -v prometheus >/dev/null
promtool --version 2>&1 | head -n 1
