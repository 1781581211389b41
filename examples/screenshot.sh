#!/usr/bin/env bash
# The README's picture of a customer statement: the demo ledger's statement
# of nordwind-energie for November 2026, written by supportctl and rendered
# by headless Chromium (the top of the page: header, usage chart, first
# entries). Run it again after changing how statements look.
#
# usage: examples/screenshot.sh [OUT.png]    (default: examples/statement.png)
# environment:
#   SUPPORTCTL  the supportctl binary (default: target/release/supportctl, built first)
set -euo pipefail

out=$(realpath -m "${1:-$(dirname "$0")/statement.png}")
cd "$(dirname "$0")/.."

supportctl=${SUPPORTCTL:-}
if [[ -z $supportctl ]]; then
    cargo build --release --quiet
    supportctl=target/release/supportctl
fi
command -v chromium >/dev/null || bash tests/setup/chromium.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The clock pinned, so that the same demo ledger gives the same picture.
SUPPORTCTL_TODAY=2026-11-27 SUPPORTCTL_NOW=2026-11-27T12:00:00+01:00 \
    "$supportctl" --ledger examples/demo statement --contract nordwind-energie --month 2026-11 \
    --output "$tmp/statement.html"
# Headless, on a fresh profile, without any of Chromium's own network traffic.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=820,1180 --screenshot="$tmp/statement.png" "file://$tmp/statement.html" \
    >/dev/null 2>&1
[[ -s $tmp/statement.png ]] || { echo "screenshot.sh: chromium wrote no screenshot" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$tmp/statement.png" "$out.tmp" && mv "$out.tmp" "$out"
echo "wrote $out"
