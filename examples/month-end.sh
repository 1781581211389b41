#!/usr/bin/env bash
# The whole month end with supportctl, for cron: check the ledger, close the
# month (its figures become final), then write into OUT its report as CSV and
# JSON, its e-invoices (XRechnung, numbered from the register invoices.csv)
# and beside them each contract's statement for the customer (HTML, prints on
# A4). Copy this script and adapt it.
#
# usage: month-end.sh [LEDGER_DIR [MONTH]]
#   LEDGER_DIR  the ledger folder; "" or omitted: supportctl finds it itself
#               (SUPPORTCTL_LEDGER, a supportctl.toml above the current folder, …)
#   MONTH       YYYY-MM or "last" (default: last, the month just ended)
# environment:
#   SUPPORTCTL  the supportctl binary (default: supportctl on the PATH)
#   OUT         where the reports, invoices and statements go (default:
#               ./invoices, the ledger's own folder when run from its root;
#               the register names invoices outside the ledger by full path)
#   WRITE_OFF   1: close even with unapproved overage, recording it as written
#               off (never invoiced); otherwise the script stops and lists it
#
# A month closed by an earlier run is not closed again: its closing is
# verified (the report refuses when the ledger no longer gives its figures),
# and invoices issued by an earlier run keep their numbers (a missing file is
# written again).
# It writes OUT/report-YYYY-MM.csv, OUT/report-YYYY-MM.json, OUT/<number>.xml
# and OUT/statement-YYYY-MM-<contract>.html. Each file is first written to a
# temporary file in OUT and renamed into place only once it is complete, so
# no half-written file ever exists; a report or statement of the same month
# from an earlier run is replaced only by a complete new one.
set -euo pipefail
set -o errtrace   # the ERR trap below fires inside functions too

prog=${0##*/}
die() { echo "$prog: error: $*" >&2; exit 1; }

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,30s/^# \{0,1\}//p' "$0"
    exit 0
fi
if (( $# > 2 )); then
    echo "usage: $prog [LEDGER_DIR [MONTH]]" >&2
    exit 2
fi

supportctl=${SUPPORTCTL:-supportctl}
month_arg=${2:-last}
out=${OUT:-invoices}

# The ledger: passed on as --ledger DIR when given, else supportctl's own discovery.
ledger_args=()
if [[ -n ${1:-} ]]; then
    ledger_args=(--ledger "$1")
fi
# Runs supportctl with the ledger arguments (written so that an empty array is
# fine under `set -u` on old bash versions too, e.g. bash 3.2 on macOS).
run() { "$supportctl" ${ledger_args[@]+"${ledger_args[@]}"} "$@"; }

command -v "$supportctl" >/dev/null 2>&1 \
    || die "cannot run '$supportctl': install supportctl or set SUPPORTCTL=/path/to/supportctl"

# Any command that fails from here on stops the script with this message.
step="starting"
on_error() {
    local rc=$?
    echo "$prog: FAILED while $step (exit $rc); see the error above. No incomplete report is left in $out." >&2
    exit "$rc"
}
trap on_error ERR

# 1. Check the whole ledger first: an invoice must never be computed from a
#    ledger with broken rows, duplicate ids or entries outside a contract.
step="checking the ledger"
if ! run check; then
    die "'supportctl check' found problems in the ledger (listed above); fix them and run $prog again. Nothing was written."
fi

# 2. Temporary files inside OUT, so that the final rename stays on one file
#    system and is atomic. They are removed on any exit; after a successful
#    rename there is nothing left to remove.
step="creating temporary files in $out"
mkdir -p -- "$out"
tmp_json=$(mktemp "$out/.report.json.XXXXXX")
tmp_csv=$(mktemp "$out/.report.csv.XXXXXX")
trap 'rm -f -- "$tmp_json" "$tmp_csv"' EXIT
# mktemp creates files readable by the owner only; give them the usual mode.
chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" "$tmp_json" "$tmp_csv"

# 3. The JSON report first: its "month" field says which YYYY-MM "last"
#    meant, and its "closed" field whether the month is closed already.
step="reading the figures of month '$month_arg'"
run report --month "$month_arg" --format json >"$tmp_json"
month=$(grep -o '"month"[[:space:]]*:[[:space:]]*"[0-9][0-9][0-9][0-9]-[0-9][0-9]"' "$tmp_json" \
        | sed -n '1s/.*"\([0-9-]*\)"$/\1/p') || true
[[ $month =~ ^[0-9]{4}-[0-9]{2}$ ]] \
    || die "could not read the month from the JSON report (\"month\": \"YYYY-MM\" expected)"

# 4. Close the month, unless an earlier run did: from now on its figures are
#    final and later changes need `supportctl correct`. Unapproved overage
#    stops the script (approve it, or run again with WRITE_OFF=1).
if grep -q '"closed"[[:space:]]*:[[:space:]]*null' "$tmp_json"; then
    step="closing $month"
    close_args=(close --month "$month")
    if [[ ${WRITE_OFF:-} == 1 ]]; then
        close_args+=(--write-off)
    fi
    if ! run "${close_args[@]}"; then
        die "$month could not be closed (see above): approve the overage, or run again with WRITE_OFF=1 to write it off. Nothing was written."
    fi
    step="writing the JSON report for $month"
    run report --month "$month" --format json >"$tmp_json"
else
    echo "$prog: $month was closed before; its closing still matches the ledger"
fi

# 5. The CSV report for exactly that month (not "last" again, in case the
#    month changed while the script ran).
step="writing the CSV report for $month"
run report --month "$month" --format csv >"$tmp_csv"

# 6. The e-invoices of the closed month, numbered from the register (commit
#    the register and the invoices together), and each contract's statement
#    beside them.
step="writing the e-invoices of $month"
run invoice --month "$month" --output "$out"
step="writing the statements of $month"
run statement --all --month "$month" --output "$out"

# 7. Both reports are complete: rename them into place.
json_file=$out/report-$month.json
csv_file=$out/report-$month.csv
step="renaming the reports into place"
mv -f -- "$tmp_csv" "$csv_file"
mv -f -- "$tmp_json" "$json_file"

echo "$prog: month $month: wrote $csv_file and $json_file"
