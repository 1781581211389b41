#!/usr/bin/env bash
# Benchmark harness of supportctl (issue 5; `log` latency: issue 3 item 7).
#
#   benches/run.sh                generate data (once), build, time, compare, print the table
#   benches/run.sh --fresh        regenerate the ledgers and the scratch copies first
#   benches/run.sh --only-import  only the import block (issue 14): 100,000 Jira worklogs
#
# Not part of `cargo test`. Everything it writes goes under target/:
#   target/bench-data/      generated small and large ledgers + the generator's expected JSON
#   target/bench-scratch/   copies that `log` and `append` write to (never the generated data)
#   target/bench-baseline/  ledger-baseline and append (built from ../shared/bench/baseline)
#   target/bench-results/   hyperfine JSON exports, peak RSS, report outputs, results.md
#
# Environment: SHARED_BENCH (default: ../../shared/bench relative to this script),
# CHECK_RUNS (default 20), FAST_RUNS (default 100).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
SHARED_BENCH=${SHARED_BENCH:-$SCRIPT_DIR/../../shared/bench}
SHARED_BENCH=$(cd "$SHARED_BENCH" && pwd)
cd "$SCRIPT_DIR/.."
ROOT=$(pwd)

FRESH=0
ONLY_IMPORT=0
for arg in "$@"; do
    case $arg in
        --fresh) FRESH=1 ;;
        --only-import) ONLY_IMPORT=1 ;;
        -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
    esac
done

CHECK_RUNS=${CHECK_RUNS:-20}
FAST_RUNS=${FAST_RUNS:-100}
MONTH=2026-11
export SUPPORTCTL_TODAY=2026-11-27 # pins "today" so that `log --date 2026-11-20` is accepted
export NO_COLOR=1
unset SUPPORTCTL_LEDGER SUPPORTCTL_ENGINEER

DATA=$ROOT/target/bench-data
SCRATCH=$ROOT/target/bench-scratch
RESULTS=$ROOT/target/bench-results
BASE_TARGET=$ROOT/target/bench-baseline
S=$ROOT/target/release/supportctl
B=$BASE_TARGET/release/ledger-baseline
A=$BASE_TARGET/release/append

say() { printf '\n== %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "run.sh: need root to run: $*" >&2; return 1
    fi
}

apt_install() { # package...
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q "$@" || { as_root apt-get update -q && as_root apt-get install -y -q "$@"; }
}

# 1. Tools ------------------------------------------------------------------
say "tools"
command -v hyperfine >/dev/null || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
command -v python3 >/dev/null || { echo "run.sh: python3 is required" >&2; exit 1; }
hyperfine --version

# 2. Data ---------------------------------------------------------------------
say "data (${SHARED_BENCH}/gen_ledger.py, seed 1)"
mkdir -p "$DATA" "$SCRATCH" "$RESULTS"
SIZES="small large"
if [ "$ONLY_IMPORT" = 1 ]; then SIZES=large; fi
for size in $SIZES; do
    if [ "$FRESH" = 1 ]; then rm -rf "${DATA:?}/$size" "$DATA/$size.expected-$MONTH.json" "${SCRATCH:?}/$size"; fi
    if [ -f "$DATA/$size/supportctl.toml" ] && [ -f "$DATA/$size.expected-$MONTH.json" ]; then
        echo "$size: present (use --fresh to regenerate)"
    else
        rm -rf "${DATA:?}/$size" "$DATA/$size.expected-$MONTH.json"
        python3 "$SHARED_BENCH/gen_ledger.py" --size "$size" --seed 1 "$DATA/$size" \
            --expected "$DATA/$size.expected-$MONTH.json"
    fi
    # A scratch copy for `log` (copied once); its month file is reset below so
    # that repeated harness runs do not let it grow.
    if [ ! -f "$SCRATCH/$size/supportctl.toml" ]; then
        rm -rf "${SCRATCH:?}/$size"
        cp -r "$DATA/$size" "$SCRATCH/$size"
    fi
done

# 3. Builds -----------------------------------------------------------------
say "build"
if [ "$ONLY_IMPORT" = 0 ]; then
    cargo build --release --manifest-path "$SHARED_BENCH/baseline/Cargo.toml" --target-dir "$BASE_TARGET"
fi
cargo build --release
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

L=$DATA/large
SM=$DATA/small
HF=(hyperfine -N --style basic --ignore-failure)

# Untimed runs first: exit status of each timed command (a failing command
# would otherwise be timed as fast) and the error lines it printed.
: >"$RESULTS/exit.tsv"
untimed() { # name command...
    local name=$1 rc=0 f
    f=${1// /-}
    shift
    "$@" >"$RESULTS/out.$f.txt" 2>"$RESULTS/err.$f.txt" || rc=$?
    printf '%s\t%s\n' "$name" "$rc" >>"$RESULTS/exit.tsv"
    if [ "$rc" != 0 ]; then
        echo "!! $name exited $rc; its first 20 error lines:"
        grep -v 'warning:' "$RESULTS/err.$f.txt" | head -n 20 | sed 's/^/   /' || true
    fi
}

# 7. Import (issue 14) -----------------------------------------------------------
# 100,000 realistic Jira Cloud v3 worklogs (JSON lines, ~100 MB, the last 12
# months, every contract of the large ledger) imported into a scratch copy
# of the large ledger whose contracts list Jira projects: a dry run, an
# --apply (the 12 month files restored before each run), a second import of
# the same file (adds nothing), peak RSS of each. Results: import.json,
# rss-import.tsv, results-import.md.
import_block() {
    local IMP=$SCRATCH/import WL=$DATA/worklogs-100k.jsonl RESTORE=$RESULTS/restore-import.sh
    local WINDOW="2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10 2026-11"
    say "import: 100,000 Jira worklogs into a copy of the large ledger"
    if [ "$FRESH" = 1 ] || [ ! -f "$IMP/supportctl.toml" ]; then
        rm -rf "${IMP:?}"
        cp -r "$L" "$IMP"
        python3 "$SCRIPT_DIR/gen_worklogs.py" --add-projects "$IMP"
    fi
    if [ "$FRESH" = 1 ] || [ ! -f "$WL" ]; then
        python3 "$SCRIPT_DIR/gen_worklogs.py" "$IMP" "$WL"
    fi
    {
        echo "#!/usr/bin/env bash"
        for m in $WINDOW; do echo "cp '$L/timelog/$m.csv' '$IMP/timelog/$m.csv'"; done
    } >"$RESTORE"
    bash "$RESTORE"
    echo "$(wc -l <"$WL") worklogs, $(du -m "$WL" | cut -f1) MB"
    local IMPORT="$S --ledger $IMP import jira-worklogs $WL"
    # $IMPORT is split into words on purpose below.
    # shellcheck disable=SC2086
    untimed "import dry run" $IMPORT
    head -n 2 "$RESULTS/out.import-dry-run.txt"
    "${HF[@]}" --warmup 1 --runs "$IMPORT_RUNS" --export-json "$RESULTS/import-dry.json" -n "import dry run" "$IMPORT"
    untimed "import apply" $IMPORT --apply
    untimed "check after import" "$S" --ledger "$IMP" check
    tail -n 1 "$RESULTS/out.check-after-import.txt"
    untimed "import again" $IMPORT --apply
    head -n 2 "$RESULTS/out.import-again.txt"
    "${HF[@]}" --warmup 1 --runs "$IMPORT_RUNS" --export-json "$RESULTS/import-again.json" -n "import again" "$IMPORT --apply"
    "${HF[@]}" --runs "$IMPORT_RUNS" --prepare "bash $RESTORE" --export-json "$RESULTS/import-apply.json" \
        -n "import apply" "$IMPORT --apply"
    say "import: peak RSS (/usr/bin/time -v, max of 3)"
    : >"$RESULTS/rss-import.tsv"
    local name k max rc i
    for name in "import dry run" "import apply" "import again"; do
        max=0 rc=0
        for i in 1 2 3; do
            case $name in
                "import dry run") bash "$RESTORE"; set -- ;;
                "import apply") bash "$RESTORE"; set -- --apply ;;
                "import again") set -- --apply ;;
            esac
            /usr/bin/time -v -o "$RESULTS/time-v.txt" $IMPORT "$@" >/dev/null 2>&1 || rc=$?
            k=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$RESULTS/time-v.txt")
            if [ "${k:-0}" -gt "$max" ]; then max=$k; fi
        done
        printf '%s\t%s\t%s\n' "$name" "$max" "$rc" >>"$RESULTS/rss-import.tsv"
        printf '%-28s %8.1f MiB\n' "$name" "$(echo "$max" | awk '{print $1/1024}')"
    done
    bash "$RESTORE"
    python3 "$SCRIPT_DIR/summarize.py" --import "$RESULTS" "$MACHINE_IMPORT"
}
IMPORT_RUNS=${IMPORT_RUNS:-10}
CPU_IMPORT=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MACHINE_IMPORT="Machine: $(nproc) cores (nproc), CPU ${CPU_IMPORT:-unknown}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u '+%Y-%m-%d %H:%M UTC'); supportctl ${REV}; medians of ${IMPORT_RUNS} runs"
if [ "$ONLY_IMPORT" = 1 ]; then
    import_block
    exit 0
fi

say "check on the generated ledgers (untimed)"
for size in small large; do
    untimed "check $size" "$S" --ledger "$DATA/$size" check
    summary=$(cat "$RESULTS/out.check-$size.txt")
    [ -n "$summary" ] || summary=$(tail -n 1 "$RESULTS/err.check-$size.txt")
    echo "$size: $summary"
done

# Contract to log against: the first active in the month, from the expected JSON.
first_contract() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["contracts"][0]["contract"])' "$1"; }
CL=$(first_contract "$DATA/large.expected-$MONTH.json")
CS=$(first_contract "$DATA/small.expected-$MONTH.json")
cp "$L/timelog/$MONTH.csv" "$SCRATCH/large/timelog/$MONTH.csv"
cp "$SM/timelog/$MONTH.csv" "$SCRATCH/small/timelog/$MONTH.csv"
cp "$L/timelog/$MONTH.csv" "$SCRATCH/append-$MONTH.csv"
LOG_ARGS="15m bench --date 2026-11-20 --engineer bench --kind support --level 2 --channel desk"
APPEND_LINE="2026-11-20,$CL,15,,support,2,desk,bench,bench,01KB2Z7Q8W3N5YV0M4T6R9J1XA"

untimed "report json large" "$S" --ledger "$L" report --month $MONTH --format json
untimed "report json small" "$S" --ledger "$SM" report --month $MONTH --format json
untimed "report table large" "$S" --ledger "$L" report --month $MONTH
untimed "status large" "$S" --ledger "$L" status --month $MONTH
# shellcheck disable=SC2086
untimed "log large" "$S" --ledger "$SCRATCH/large" log "$CL" $LOG_ARGS
# shellcheck disable=SC2086
untimed "log small" "$S" --ledger "$SCRATCH/small" log "$CS" $LOG_ARGS

# 4. Timings (each group side by side in one hyperfine run) -------------------
say "(a) check vs ledger-baseline --validate, large ledger"
"${HF[@]}" --warmup 3 --runs "$CHECK_RUNS" --export-json "$RESULTS/check.json" \
    -n "check large" "$S --ledger $L check" \
    -n "baseline --validate" "$B $L $MONTH --validate" \
    -n "baseline --validate -j 2" "$B $L $MONTH --validate -j 2" \
    -n "baseline plain" "$B $L $MONTH"

say "(b) report --month $MONTH --format json vs ledger-baseline --month-file-only; small ledger"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/report.json" \
    -n "report json large" "$S --ledger $L report --month $MONTH --format json" \
    -n "baseline --month-file-only" "$B $L $MONTH --validate --month-file-only" \
    -n "report json small" "$S --ledger $SM report --month $MONTH --format json"

say "(c) log on scratch copies vs the append floor"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/log.json" \
    -n "log large" "$S --ledger $SCRATCH/large log $CL $LOG_ARGS" \
    -n "log small" "$S --ledger $SCRATCH/small log $CS $LOG_ARGS" \
    -n "append floor" "$A $SCRATCH/append-$MONTH.csv $APPEND_LINE"

say "(d) status vs report, large ledger"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/status.json" \
    -n "status large" "$S --ledger $L status --month $MONTH" \
    -n "report table large" "$S --ledger $L report --month $MONTH"

# (e) Month closing (issue 10) -------------------------------------------------
# A copy of the large ledger with every month before $MONTH closed (their
# unapproved overage written off), made once; `log` runs append to its open
# month, which is reset each time like the other scratch copies.
CLOSED=$SCRATCH/closed
FIRST_MONTH=2016-12
LAST_CLOSED=2026-10
months_between() { # FROM TO: every YYYY-MM from FROM to TO
    local y=${1%-*} m=$((10#${1#*-})) ey=${2%-*} em=$((10#${2#*-}))
    while ((y * 12 + m <= ey * 12 + em)); do
        printf '%04d-%02d\n' "$y" "$m"
        if ((m == 12)); then m=1 y=$((y + 1)); else m=$((m + 1)); fi
    done
}
if [ "$FRESH" = 1 ] || [ ! -f "$CLOSED/closings/$LAST_CLOSED.toml" ]; then
    say "closing every month from $FIRST_MONTH to $LAST_CLOSED on a copy of the large ledger (once)"
    rm -rf "${CLOSED:?}"
    cp -r "$L" "$CLOSED"
    for m in $(months_between $FIRST_MONTH $LAST_CLOSED); do
        "$S" --ledger "$CLOSED" close --month "$m" --write-off >/dev/null
    done
    ls "$CLOSED/closings" | wc -l | sed 's/$/ closings written/'
fi
cp "$L/timelog/$MONTH.csv" "$CLOSED/timelog/$MONTH.csv"
untimed "verify closed" "$S" --ledger "$CLOSED" verify
untimed "check closed" "$S" --ledger "$CLOSED" check
untimed "report closed month" "$S" --ledger "$CLOSED" report --month $LAST_CLOSED --format json
untimed "report before closing" "$S" --ledger "$L" report --month $LAST_CLOSED --format json
cmp -s "$RESULTS/out.report-closed-month.txt" "$RESULTS/out.report-before-closing.txt" &&
    echo "!! the closed month's report lacks its closing mark" # (it must differ only by "closed")
# shellcheck disable=SC2086
untimed "log closed large" "$S" --ledger "$CLOSED" log "$CL" $LOG_ARGS

say "(e) month closing: verify vs check; a closed month's report vs before closing; log with closed history"
"${HF[@]}" --warmup 2 --runs "$CHECK_RUNS" --export-json "$RESULTS/closing-check.json" \
    -n "verify closed" "$S --ledger $CLOSED verify" \
    -n "check closed" "$S --ledger $CLOSED check"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/closing-report.json" \
    -n "report closed month" "$S --ledger $CLOSED report --month $LAST_CLOSED --format json" \
    -n "report before closing" "$S --ledger $L report --month $LAST_CLOSED --format json"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/closing-log.json" \
    -n "log closed large" "$S --ledger $CLOSED log $CL $LOG_ARGS" \
    -n "log small" "$S --ledger $SCRATCH/small log $CS $LOG_ARGS"

# (f) Customer statements (issue 13): one contract's statement (its month, the
# twelve months of its chart, the SLA figures) side by side with
# `report --month`, on the large ledger as generated (every chart month read
# from the time log) and with its earlier months closed (they are drawn from
# their closings), and every contract's statement of the month in one run.
ST_ALL=$SCRATCH/statements
untimed "statement large" "$S" --ledger "$L" statement --contract "$CL" --month $MONTH
untimed "statement closed large" "$S" --ledger "$CLOSED" statement --contract "$CL" --month $MONTH
untimed "statement all large" "$S" --ledger "$L" statement --all --month $MONTH --output "$ST_ALL"
say "(f) statement vs report, large ledger"
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/statement.json" \
    -n "report json large (statement)" "$S --ledger $L report --month $MONTH --format json" \
    -n "statement large" "$S --ledger $L statement --contract $CL --month $MONTH" \
    -n "statement closed large" "$S --ledger $CLOSED statement --contract $CL --month $MONTH"
"${HF[@]}" --warmup 2 --runs 10 --export-json "$RESULTS/statement-all.json" \
    -n "statement all large" "$S --ledger $L statement --all --month $MONTH --output $ST_ALL"
find "$ST_ALL" -name "statement-$MONTH-*.html" | wc -l >"$RESULTS/statement-files.txt"

# (g) E-invoices (issue 11): every contract of a closed month invoiced (all
# files written and synced, one register append), on a fresh copy each run,
# and the same command again with nothing new, beside that month's report.
INV=$SCRATCH/invoicing
rm -rf "${INV:?}"
cp -r "$CLOSED" "$INV"
# The generated ledger has no seller or buyers: give it some (contracts at
# VAT 0 become reverse-charge customers in Austria). Their terms stay as
# closed, so the closings still verify.
python3 - "$INV" <<'PY'
import os, re, sys
root = sys.argv[1]
with open(os.path.join(root, "supportctl.toml"), "a", encoding="utf-8") as f:
    f.write('\n[seller]\nname = "Bench Consulting GmbH"\nstreet = "Musterstrasse 1"\npostcode = "10115"\n'
            'city = "Berlin"\ncountry = "DE"\nvat_id = "DE123456789"\nemail = "rechnung@bench.example"\n'
            'contact_name = "Erika Mustermann"\ncontact_phone = "+49 30 1234567"\n'
            'contact_email = "support@bench.example"\niban = "DE75 5121 0800 1245 1261 99"\n')
folder = os.path.join(root, "contracts")
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name)
    text = open(path, encoding="utf-8").read()
    zero = re.search(r'^vat_rate\s*=\s*"?0"?\s*$', text, re.M)
    head = 'vat_category = "AE"\n' if zero else ""
    country, postcode, vat = ("AT", "1010", 'vat_id = "ATU12345678"\n') if zero else ("DE", "10115", "")
    buyer = (f'\n[buyer]\nstreet = "Hauptstrasse 1"\npostcode = "{postcode}"\ncity = "Stadt"\n'
             f'country = "{country}"\n{vat}email = "ap@{name[:-5]}.example"\n')
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + text + buyer)
PY
untimed "invoice all" "$S" --ledger "$INV" invoice --month $LAST_CLOSED --date 2026-11-02
grep -c . "$INV/invoices.csv" | awk '{print $1 - 1}' >"$RESULTS/invoice-files.txt"
untimed "invoice again" "$S" --ledger "$INV" invoice --month $LAST_CLOSED
say "(g) invoice every contract of a closed month; again with nothing new"
"${HF[@]}" --warmup 1 --runs 10 --export-json "$RESULTS/invoice.json" \
    --prepare "rm -rf $INV/invoices $INV/invoices.csv" \
    -n "invoice all" "$S --ledger $INV invoice --month $LAST_CLOSED --date 2026-11-02"
"$S" --ledger "$INV" invoice --month $LAST_CLOSED --date 2026-11-02 >/dev/null
"${HF[@]}" --warmup 5 --runs "$FAST_RUNS" --export-json "$RESULTS/invoice-again.json" \
    -n "invoice again" "$S --ledger $INV invoice --month $LAST_CLOSED" \
    -n "report closed month (invoice)" "$S --ledger $CLOSED report --month $LAST_CLOSED --format json"

# (h) The year view (issue 14): every month of 2026 up to November per
# contract, from the time log (eleven month files) and, on the closed copy,
# from the closings of January to October plus November's file; beside the
# one-month report it must stay within 12x of.
untimed "year large" "$S" --ledger "$L" report --year 2026 --format json
untimed "year closed large" "$S" --ledger "$CLOSED" report --year 2026 --format json
say "(h) report --year 2026 vs report --month $MONTH, large ledger"
"${HF[@]}" --warmup 3 --runs "$CHECK_RUNS" --export-json "$RESULTS/year.json" \
    -n "report json large (year)" "$S --ledger $L report --month $MONTH --format json" \
    -n "year large" "$S --ledger $L report --year 2026 --format json" \
    -n "year closed large" "$S --ledger $CLOSED report --year 2026 --format json"

say "peak RSS (/usr/bin/time -v, max of 3 runs)"
: >"$RESULTS/rss.tsv"
rss() { # name command...
    local name=$1 max=0 rc=0 k i
    shift
    for i in 1 2 3; do
        rc=0
        /usr/bin/time -v -o "$RESULTS/time-v.txt" "$@" >/dev/null 2>&1 || rc=$?
        k=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$RESULTS/time-v.txt")
        if [ "${k:-0}" -gt "$max" ]; then max=$k; fi
    done
    printf '%s\t%s\t%s\n' "$name" "$max" "$rc" >>"$RESULTS/rss.tsv"
    printf '%-28s %8.1f MiB\n' "$name" "$(echo "$max" | awk '{print $1/1024}')"
}
rss "check large" "$S" --ledger "$L" check
rss "baseline --validate" "$B" "$L" $MONTH --validate
rss "report json large" "$S" --ledger "$L" report --month $MONTH --format json
rss "report json small" "$S" --ledger "$SM" report --month $MONTH --format json
rss "status large" "$S" --ledger "$L" status --month $MONTH
# shellcheck disable=SC2086
rss "log large" "$S" --ledger "$SCRATCH/large" log "$CL" $LOG_ARGS
rss "check closed" "$S" --ledger "$CLOSED" check
rss "verify closed" "$S" --ledger "$CLOSED" verify
rss "statement large" "$S" --ledger "$L" statement --contract "$CL" --month $MONTH
rss "statement all large" "$S" --ledger "$L" statement --all --month $MONTH --output "$ST_ALL"
rss "year large" "$S" --ledger "$L" report --year 2026 --format json

# 6. Correctness at scale ------------------------------------------------------
say "correctness: report --month $MONTH --format json vs the generator's --expected"
for size in small large; do
    out=$RESULTS/report-$size-$MONTH.json rc=0
    rm -f "$RESULTS/compare-$size.txt"
    "$S" --ledger "$DATA/$size" report --month $MONTH --format json >"$out" 2>"$RESULTS/report-$size.stderr" || rc=$?
    if [ "$rc" != 0 ]; then
        echo "!! report on the $size ledger exited $rc; first 20 error lines:"
        grep -v '^warning:' "$RESULTS/report-$size.stderr" | head -n 20 | sed 's/^/   /' || true
        continue
    fi
    python3 "$SCRIPT_DIR/compare_expected.py" "$size" "$DATA/$size.expected-$MONTH.json" "$out" |
        tee "$RESULTS/compare-$size.txt"
done

import_block

# 5. Table -------------------------------------------------------------------
say "results (also in target/bench-results/results.md)"
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MACHINE="Machine: $(nproc) cores (nproc), CPU ${CPU:-unknown}, $(uname -sr), $(date -u '+%Y-%m-%d %H:%M UTC'); supportctl ${REV}; $(hyperfine --version); medians of side-by-side runs, ${CHECK_RUNS} runs for check, ${FAST_RUNS} for the others"
python3 "$SCRIPT_DIR/summarize.py" "$RESULTS" "$MACHINE"
{
    echo
    echo "Correctness (report --month $MONTH --format json vs gen_ledger.py --expected):"
    for size in small large; do
        grep -h '^SUMMARY' "$RESULTS/compare-$size.txt" 2>/dev/null || echo "SUMMARY $size: no report (see above)"
    done
} | tee -a "$RESULTS/results.md"

