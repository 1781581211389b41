#!/usr/bin/env bash
# The e-invoice validator's Python environment: target/einvoice-venv with
# lxml and saxonche, which ../shared/einvoice/validate.py needs (XML Schema,
# EN 16931 and XRechnung schematron). Idempotent: quick when it is there.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/einvoice-venv
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import lxml, saxonche' 2>/dev/null; then
    exit 0
fi
command -v python3 >/dev/null || {
    apt-get install -y python3 python3-venv || { apt-get update && apt-get install -y python3 python3-venv; }
}
if ! python3 -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    apt-get install -y python3-venv || { apt-get update && apt-get install -y python3-venv; }
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check lxml==6.1.3 saxonche==13.1.1
"$venv/bin/python" -c 'import lxml, saxonche'
echo "installed lxml and saxonche into $venv"
