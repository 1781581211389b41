#!/usr/bin/env bash
# Headless Chromium and poppler-utils (pdfinfo, pdftotext) for the statement
# tests, which open the HTML statement in a real browser and print it to PDF.
# Debian's own packages, installed as root with apt-get when missing.
# Idempotent: quick when they are there.
set -euo pipefail
have() { command -v chromium >/dev/null && command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null; }
have && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "chromium.sh: chromium and poppler-utils are missing and installing them needs root (apt-get install chromium poppler-utils)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends chromium poppler-utils fonts-dejavu-core \
    || { apt-get update -q && apt-get install -y -q --no-install-recommends chromium poppler-utils fonts-dejavu-core; }
have
echo "installed $(chromium --version 2>/dev/null || echo chromium) and poppler-utils"
