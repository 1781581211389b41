#!/usr/bin/env bash
# tmux for tests/terminal.rs and the README tour test, which run the
# commands in real terminals of 80 and 120 columns and read the screen back.
# Debian's package, installed as root with apt-get when missing. Idempotent.
set -euo pipefail
command -v tmux >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "tmux.sh: tmux is missing and installing it needs root (apt-get install tmux)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends tmux || { apt-get update -q && apt-get install -y -q --no-install-recommends tmux; }
command -v tmux >/dev/null
echo "installed $(tmux -V)"
