#!/usr/bin/env python3
"""Turn benches/run.sh's measurements into the Markdown results table.

Usage: summarize.py RESULTS_DIR MACHINE_LINE

Reads from RESULTS_DIR (python3 stdlib only):
  check.json, report.json, log.json, status.json,
  closing-check.json, closing-report.json, closing-log.json, statement.json,
  statement-all.json, invoice.json, invoice-again.json, year.json   hyperfine --export-json
  rss.tsv      name <TAB> peak RSS in KiB <TAB> exit status   (/usr/bin/time -v)
  exit.tsv     name <TAB> exit status of one untimed run of each timed command

Prints the table and writes it, with the machine line, to RESULTS_DIR/results.md.

Usage: summarize.py --import RESULTS_DIR MACHINE_LINE
  the import block only (issue 14): import-dry.json, import-apply.json,
  import-again.json, rss-import.tsv, exit.tsv → RESULTS_DIR/results-import.md
Ratios are medians divided by medians measured in the same hyperfine run.
A command whose untimed run exited non-zero is a MISS whatever its time
(hyperfine runs with --ignore-failure so that the harness still reports).
"""

import json
import os
import sys


def load_runs(results):
    medians, runs = {}, {}
    for group in ("check", "report", "log", "status", "closing-check", "closing-report", "closing-log", "statement",
                  "statement-all", "invoice", "invoice-again", "year"):
        path = os.path.join(results, f"{group}.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                # "log small" runs in two groups: the first run names the row.
                key = r["command"] if r["command"] not in medians else f"{r['command']} ({group})"
                medians[key] = r["median"] * 1000.0
                runs[key] = len(r.get("times") or [])
    return medians, runs


def read_count(results, name):
    """A number written by run.sh, or "?" when missing."""
    try:
        with open(os.path.join(results, name), encoding="utf-8") as f:
            return f.read().strip() or "?"
    except OSError:
        return "?"


def load_tsv(path):
    out = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    out[parts[0]] = parts[1:]
    return out


def import_table(results, machine):
    """The rows of the import block (issue 14 item 7)."""
    med = {}
    for group in ("import-dry", "import-apply", "import-again"):
        path = os.path.join(results, f"{group}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for r in json.load(f)["results"]:
                    med[r["command"]] = (r["median"] * 1000.0, len(r.get("times") or []))
    rss = load_tsv(os.path.join(results, "rss-import.tsv"))
    exits = load_tsv(os.path.join(results, "exit.tsv"))
    rows = []
    for label, name, limit in (
        ("`import jira-worklogs` 100,000 worklogs, dry run (large)", "import dry run", 1000),
        ("`import jira-worklogs --apply` 100,000 worklogs (large, scratch copy)", "import apply", 2000),
        ("`import jira-worklogs --apply` the same file again: adds nothing", "import again", 1000),
    ):
        v = med.get(name)
        rc = exits.get(name, ["0"])[0]
        result = "n/a" if v is None else (f"MISS (exit {rc})" if rc != "0" else ("PASS" if v[0] <= limit else "MISS"))
        ms = "n/a" if v is None else f"{v[0]:.0f}"
        rows.append((label, ms, f"≤ {limit} ms", result))
        r = rss.get(name)
        mib = None if r is None else int(r[0]) / 1024.0
        result = "n/a" if mib is None else ("PASS" if mib <= 64 else "MISS")
        rows.append((label, "—", "peak RSS ≤ 64 MiB", result if mib is None else f"{result} ({mib:.1f} MiB)"))
    check = exits.get("check after import", ["n/a"])[0]
    rows.append(("`check` after the import", "—", "exit 0", "PASS" if check == "0" else f"MISS (exit {check})"))
    runs = ", ".join(f"{k} {v[1]}" for k, v in sorted(med.items()))
    lines = ["| command | median ms | target | result |", "|---|---:|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "Import (issue 14), produced by `benches/run.sh --only-import` or a full run.\n\n" + "\n".join(lines) + "\n\n" + machine + "\n\nTimed runs: " + runs + "\n"
    print(text)
    with open(os.path.join(results, "results-import.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--import":
        return import_table(argv[2], argv[3])
    if len(argv) != 3:
        print("usage: summarize.py RESULTS_DIR MACHINE_LINE", file=sys.stderr)
        return 2
    results, machine = argv[1], argv[2]
    med, runs = load_runs(results)
    rss = load_tsv(os.path.join(results, "rss.tsv"))
    exits = load_tsv(os.path.join(results, "exit.tsv"))

    def ms(name):
        v = med.get(name)
        return "n/a" if v is None else (f"{v:.1f}" if v >= 10 else f"{v:.2f}")

    def failed(name):
        rc = exits.get(name, ["0"])[0]
        return None if rc == "0" else rc

    rows = []

    def rss_of(name):
        v = rss.get(name)
        return "—" if v is None else f"{int(v[0]) / 1024.0:.1f} MiB"

    def verdict(value, limit, rc):
        """PASS or MISS of `value` against `limit`; a failed run is a MISS."""
        if value is None:
            return "n/a"
        if rc is not None:
            return f"MISS (exit {rc})"
        return "PASS" if value <= limit else "MISS"

    def ratio_row(label, name, base, limit, target, info=False):
        m, b = med.get(name), med.get(base)
        r = None if m is None or b is None or b == 0 else m / b
        result = "info" if info else verdict(r, limit, failed(name))
        rows.append((label, ms(name), f"{base}: {ms(base)} ms", "n/a" if r is None else f"{r:.2f}×",
                     rss_of(name), target, result))

    def abs_row(label, name, limit_ms, target):
        result = verdict(med.get(name), limit_ms, failed(name))
        rows.append((label, ms(name), "—", "—", rss_of(name), target, result))

    def rss_row(label, name, limit_mib, target):
        v = rss.get(name)
        if v is None:
            rows.append((label, "—", "—", "—", "n/a", target, "n/a"))
            return
        mib = int(v[0]) / 1024.0
        rc = v[1] if len(v) > 1 else "0"
        result = verdict(mib, limit_mib, None if rc == "0" else rc)
        rows.append((label, "—", "—", "—", f"{mib:.1f} MiB", target, result))

    # (a) check on the large ledger
    ratio_row("`check` (large)", "check large", "baseline --validate", 1.5, "≤ 1.5× baseline --validate")
    rss_row("`check` (large)", "check large", 32, "peak RSS ≤ 32 MiB")
    ratio_row("`ledger-baseline --validate -j 2` (large)", "baseline --validate -j 2", "baseline --validate",
              None, "info", info=True)
    # The stretch target: DuckDB (schema given, 2 threads) ran at 0.99x the
    # plain baseline on this machine (../shared/bench/README.md).
    ratio_row("`check` (large)", "check large", "baseline plain", 0.99,
              "stretch: ≤ 0.99× (DuckDB, 2 threads)")
    # (b) report on one month
    ratio_row("`report --month 2026-11 --format json` (large)", "report json large",
              "baseline --month-file-only", 3.0, "≤ 3× baseline --month-file-only")
    ratio_row("`report --month 2026-11 --format json` (large)", "report json large", "report json small", 1.5,
              "≤ 1.5× small ledger")
    # (c) log
    abs_row("`log` (large, scratch copy)", "log large", 15.0, "≤ 15 ms median")
    ratio_row("`log` (large, scratch copy)", "log large", "log small", 1.5, "≤ 1.5× small ledger")
    ratio_row("`log` (large, scratch copy)", "log large", "append floor", None, "info (write floor)", info=True)
    # (d) status
    ratio_row("`status --month 2026-11` (large)", "status large", "report table large", 3.0,
              "≤ 3× `report --month 2026-11`")

    # (e) month closing, every month before 2026-11 of the large ledger closed
    ratio_row("`verify` (large, 119 closed months)", "verify closed", "check closed", 1.5, "≤ 1.5× `check`")
    ratio_row("`report --month 2026-10 --format json` (closed)", "report closed month", "report before closing", 1.5,
              "≤ 1.5× the same report before closing")
    ratio_row("`log` (large, closed history)", "log closed large", "log small (closing-log)", 1.5,
              "≤ 1.5× small ledger")

    # (f) statements
    ratio_row("`statement --contract C --month 2026-11` (large)", "statement large",
              "report json large (statement)", 3.0, "≤ 3× `report --month`")
    ratio_row("`statement --contract C --month 2026-11` (large, earlier months closed)", "statement closed large",
              "report json large (statement)", 3.0, "≤ 3× `report --month`")
    files = read_count(results, "statement-files.txt")
    abs_row(f"`statement --all --month 2026-11 --output DIR` (large, {files} files)", "statement all large", 2000.0,
            "≤ 2 s")
    # (g) e-invoices
    files = read_count(results, "invoice-files.txt")
    abs_row(f"`invoice --month 2026-10` (large, closed, {files} new invoices)", "invoice all", 1000.0, "≤ 1 s")
    ratio_row("`invoice --month 2026-10` again, nothing new", "invoice again", "report closed month (invoice)", 2.0,
              "≤ 2× `report --month` of that month")

    # (h) the year view
    ratio_row("`report --year 2026 --format json` (large)", "year large", "report json large (year)", 12.0,
              "≤ 12× `report --month`")
    ratio_row("`report --year 2026 --format json` (large, Jan–Oct closed)", "year closed large",
              "report json large (year)", 12.0, "≤ 12× `report --month`")

    head = ("command", "median ms", "baseline: median", "ratio", "peak RSS", "target", "result")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---", "---:", "---", "---:", "---:", "---", "---"]) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    other = []
    for name, v in sorted(rss.items()):
        other.append(f"{name} {int(v[0]) / 1024.0:.1f} MiB")
    runs_line = ", ".join(f"{k} {v}" for k, v in sorted(runs.items()))
    text = "Produced by `benches/run.sh` (hyperfine medians, side by side per group; peak RSS by /usr/bin/time -v).\n\n" + "\n".join(lines) + "\n\n" + machine + "\n\n" + "Peak RSS (/usr/bin/time -v, max of 3): " + "; ".join(
        other) + "\n\n" + "Timed runs per command: " + runs_line + "\n"
    print(text)
    with open(os.path.join(results, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
