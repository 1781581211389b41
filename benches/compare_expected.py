#!/usr/bin/env python3
"""Compare `supportctl report --format json` with gen_ledger.py's --expected JSON.

Usage: compare_expected.py LABEL EXPECTED.json ACTUAL.json

Compares contract by contract (matched by id) and field by field, strictly:
"19" and 19 differ, null and "20h" differ. Prints every difference, then a
summary (differences per field). Exit status: 0 whether or not there are
differences (they are to be read and explained, not to fail a benchmark run);
2 when a file cannot be read or is not the §5.1 shape.

The generator is a cross-check, not the spec (SPEC §3, §5.1, §6.1 are).
"""

import json
import sys
from collections import Counter

MISSING = "<missing>"

# Fields the month closing added to the report after the generator was
# written, with the only value they may have on a ledger without closings or
# corrections (which the generated ledgers are). The generator's JSON lacks
# them; any other value is a difference.
LATER_FIELDS = {
    "closed": None,
    "corrections": [],
    "correction_amount": "0.00",
    "written_off_minutes": 0,
}


def show(v):
    return MISSING if v is MISSING else json.dumps(v, ensure_ascii=False)


def same(a, b):
    # Strict: the JSON type matters (bool is not int, "19" is not 19).
    return type(a) is type(b) and a == b


def expected_of(doc, key):
    """The expected value of `key`: the generator's, or a later field's only value."""
    if key in doc:
        return doc[key]
    if key in LATER_FIELDS:
        return LATER_FIELDS[key]
    return MISSING


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"compare_expected: {path}: {e}", file=sys.stderr)
        sys.exit(2)
    if not isinstance(doc, dict) or not isinstance(doc.get("contracts"), list):
        print(f"compare_expected: {path}: not a report object with a \"contracts\" list", file=sys.stderr)
        sys.exit(2)
    return doc


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    label, exp_path, act_path = argv[1:]
    exp, act = load(exp_path), load(act_path)
    diffs = []  # (where, field, expected, actual)

    for key in sorted(set(exp) | set(act)):
        if key in ("contracts", "totals"):
            continue
        e, a = expected_of(exp, key), act.get(key, MISSING)
        if not same(e, a):
            diffs.append(("report", key, e, a))

    et, at = exp.get("totals") or {}, act.get("totals") or {}
    for key in sorted(set(et) | set(at)):
        e, a = expected_of(et, key), at.get(key, MISSING)
        if not same(e, a):
            diffs.append(("totals", key, e, a))

    ids = [c.get("contract") for c in act["contracts"]]
    if ids != sorted(ids):
        diffs.append(("report", "contracts order", "sorted by id", "not sorted by id"))
    E = {c["contract"]: c for c in exp["contracts"]}
    A = {c.get("contract"): c for c in act["contracts"]}
    if len(A) != len(act["contracts"]):
        diffs.append(("report", "contracts", "each id once", "an id appears more than once"))
    for cid in sorted(set(E) - set(A)):
        diffs.append((f"contract {cid}", "(whole contract)", "present", MISSING))
    for cid in sorted(set(A) - set(E), key=str):
        diffs.append((f"contract {cid}", "(whole contract)", MISSING, "present"))
    for cid in sorted(set(E) & set(A)):
        e_c, a_c = E[cid], A[cid]
        for key in list(e_c) + [k for k in a_c if k not in e_c]:
            e, a = expected_of(e_c, key), a_c.get(key, MISSING)
            if not same(e, a):
                diffs.append((f"contract {cid}", key, e, a))

    print(f"### {label}: {act_path} vs {exp_path}")
    print(f"{len(E)} contracts expected, {len(A)} reported, {len(set(E) & set(A))} compared")
    for where, field, e, a in diffs:
        raw = field in ("contracts order", "contracts", "(whole contract)")
        es, as_ = (e, a) if raw else (show(e), show(a))
        print(f"DIFF {label}: {where}: {field}: expected {es}, supportctl {as_}")
    by_field = Counter(field for _, field, _, _ in diffs)
    contracts = len({w for w, _, _, _ in diffs if w.startswith("contract ")})
    if diffs:
        per = ", ".join(f"{f} {n}" for f, n in sorted(by_field.items()))
        print(f"SUMMARY {label}: {len(diffs)} differences in {contracts} contracts ({per})")
    else:
        print(f"SUMMARY {label}: 0 differences (every contract, every field, totals equal)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
