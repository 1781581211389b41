#!/usr/bin/env python3
"""Generate Jira Cloud REST v3 worklogs (JSON lines) for a benchmark ledger.

Usage:
  gen_worklogs.py --add-projects LEDGER
      give every contract of LEDGER (a scratch copy!) `jira_projects = ["Pnnn"]`
      (nnn: its place among the contract files, sorted), as the first line
  gen_worklogs.py LEDGER OUT.jsonl [--count 100000] [--seed 1]
                  [--from 2025-12] [--to 2026-11]
      write COUNT worklogs of the contracts active in those months, as Jira
      Cloud returns them from /rest/api/3/issue/{key}/worklog (author, ADF
      comment, started with a +hhmm offset and milliseconds, created,
      updated, issueId), each with its issueKey; about 0.5 % are written by
      the Tempo app (skipped by the import, so an --apply still exits 0).

Python 3.11+ stdlib only; the same arguments give the same bytes.
"""

import json
import os
import random
import sys
import tomllib


def contracts(ledger):
    d = os.path.join(ledger, "contracts")
    out = []
    for i, name in enumerate(sorted(n for n in os.listdir(d) if n.endswith(".toml"))):
        with open(os.path.join(d, name), "rb") as f:
            t = tomllib.load(f)
        out.append((name[:-5], f"P{i:03d}", t["start"], t.get("end", "9999-12")))
    return out


def add_projects(ledger):
    d = os.path.join(ledger, "contracts")
    for cid, project, _, _ in contracts(ledger):
        p = os.path.join(d, cid + ".toml")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if "jira_projects" in text:
            continue
        with open(p, "w", encoding="utf-8") as f:
            f.write(f'jira_projects = ["{project}"]\n' + text)


def months(first, last):
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


ENGINEERS = ["Anna Berger", "Jonas Weber", "Zoë Müller", "Lukas Schmidt", "Marie Fischer", "Ömer Yılmaz"]
NOTES = [
    "Checked the space permissions for the finance group",
    "User sync from LDAP failed, re-ran it and watched the logs",
    "Upgrade plan for Data Center reviewed with the customer",
    "Macro rendering slow on large pages: profiled, added an index",
    "Called back about the broken export; sent the workaround",
    "Estimate sent, waiting for approval",
]


def worklog(rng, wid, cid, project, month):
    day = rng.randint(1, 28)
    hour, minute, sec, ms = rng.randint(7, 19), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999)
    # Berlin's own offset, roughly: summer months +0200.
    off = "+0200" if "-04" <= month[4:] <= "-10" else "+0100"
    started = f"{month}-{day:02d}T{hour:02d}:{minute:02d}:{sec:02d}.{ms:03d}{off}"
    seconds = rng.choice([5, 10, 15, 20, 30, 45, 60, 90, 120, 180]) * 60 + rng.choice([0, 0, 0, 17, 42])
    app = rng.random() < 0.005
    name = "Tempo Timesheets" if app else rng.choice(ENGINEERS)
    account = f"5fc9e78d2730d8{rng.randint(0, 10**9):010d}"
    issue = rng.randint(1, 4000)
    author = {
        "self": f"https://example.atlassian.net/rest/api/3/user?accountId={account}",
        "accountId": account,
        "displayName": name,
        "active": True,
        "timeZone": "Europe/Berlin",
        "accountType": "app" if app else "atlassian",
    }
    stamp = f"{month}-{day:02d}T{min(hour + 1, 23):02d}:05:11.209{off}"
    return {
        "self": f"https://example.atlassian.net/rest/api/3/issue/{issue}/worklog/{wid}",
        "author": author,
        "updateAuthor": author,
        "comment": {
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": rng.choice(NOTES)}]}],
        },
        "created": stamp,
        "updated": stamp,
        "started": started,
        "timeSpent": f"{seconds // 60}m",
        "timeSpentSeconds": seconds,
        "id": str(wid),
        "issueId": str(100000 + issue),
        "issueKey": f"{project}-{issue}",
    }


def main(argv):
    if len(argv) == 3 and argv[1] == "--add-projects":
        add_projects(argv[2])
        return 0
    args = {"--count": "100000", "--seed": "1", "--from": "2025-12", "--to": "2026-11"}
    pos = []
    it = iter(argv[1:])
    for a in it:
        if a in args:
            args[a] = next(it)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            pos.append(a)
    if len(pos) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    ledger, out = pos
    rng = random.Random(int(args["--seed"]))
    cs = contracts(ledger)
    window = months(args["--from"], args["--to"])
    active = {m: [c for c in cs if c[2] <= m <= c[3]] for m in window}
    with open(out, "w", encoding="utf-8") as f:
        for n in range(int(args["--count"])):
            m = rng.choice(window)
            cid, project, _, _ = rng.choice(active[m])
            f.write(json.dumps(worklog(rng, 200000 + n, cid, project, m), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
