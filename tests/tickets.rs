//! Integration tests of the ticket commands (SPEC §7 and §7.1, issue 4),
//! run through the real binary: `ticket open|respond|resolve|escalate|reopen`
//! and their refusals, the tickets.csv checks of `check`, `tickets`, `sla` in
//! every format, the calendar clock across the daylight-saving changes, the
//! business clock, the reminder of `log --ticket` and `init`.
//!
//! Every run is isolated from the machine: no `SUPPORTCTL_LEDGER`, an empty
//! HOME and XDG folders, `--ledger` always given, "now" pinned with
//! `SUPPORTCTL_NOW` (and today with `SUPPORTCTL_TODAY`).
//!
//! The SLA figures pinned here were worked out by hand from SPEC §7 (the
//! arithmetic is in the comments next to them), not copied from the output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use serde_json::{Value, json};
use tempfile::TempDir;

/// "Now" of every run unless a test says otherwise: Friday 27 November 2026,
/// 10:00 in Berlin.
const NOW: &str = "2026-11-27T10:00:00+01:00";

/// The header of tickets.csv (SPEC §7).
const HEADER: &str = "at,ticket,contract,event,note,id";

/// Contract `acme`: 16h tier from 2026-01, open-ended, the ledger's clock.
const ACME: &str = "customer = \"ACME GmbH\"\ntier = \"16h\"\nstart = \"2026-01\"\n";

/// The fields of one ticket in `sla --format json` (SPEC §7.1), in order.
const SPEC_TICKET_FIELDS: [&str; 12] = [
    "ticket",
    "contract",
    "received",
    "response_deadline",
    "first_response",
    "response_minutes",
    "response_met",
    "resolved",
    "resolution_minutes",
    "resolution_met",
    "escalated",
    "estimate_minutes",
];

/// The fields of one contract in `sla --format json` (SPEC §7.1).
const SPEC_CONTRACT_FIELDS: [&str; 10] = [
    "contract",
    "clock",
    "received",
    "responded_in_time",
    "breached",
    "open",
    "median_response_minutes",
    "max_response_minutes",
    "resolved_in_target",
    "escalated",
];

// ---------------------------------------------------------------------------
// Helpers (self-contained: this file does not use tests/common).

/// `examples/demo`, never written to.
fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

/// Runs `supportctl --ledger LEDGER ARGS` with "now" pinned to `now` and
/// today to its date, from an empty folder that is also HOME and holds the
/// XDG folders.
fn run_at(ledger: &Path, now: &str, args: &[&str]) -> Assert {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("supportctl"));
    cmd.current_dir(home.path())
        .env_remove("SUPPORTCTL_LEDGER")
        .env_remove("SUPPORTCTL_ENGINEER")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("SUPPORTCTL_NOW", now)
        .env("SUPPORTCTL_TODAY", &now[..10])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .arg("--ledger")
        .arg(ledger)
        .args(args);
    cmd.assert()
}

/// [`run_at`] at [`NOW`].
fn run(ledger: &Path, args: &[&str]) -> Assert {
    run_at(ledger, NOW, args)
}

fn stdout(a: &Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(a: &Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).expect("stderr is UTF-8")
}

/// Runs at `now`, expects exit 0, returns stdout.
fn ok_at(ledger: &Path, now: &str, args: &[&str]) -> String {
    let a = run_at(ledger, now, args);
    let out = a.get_output();
    assert!(
        out.status.success(),
        "supportctl {args:?} failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(&a),
        stderr(&a)
    );
    stdout(&a)
}

/// Runs at [`NOW`], expects exit 0, returns stdout.
fn ok(ledger: &Path, args: &[&str]) -> String {
    ok_at(ledger, NOW, args)
}

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// A temp ledger: settings in Berlin, contract `acme` (plus `extra` files),
/// an empty timelog/ and no tickets.csv.
fn ledger_with(settings: &str, acme: &str, extra: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "supportctl.toml", settings);
    write(dir.path(), "contracts/acme.toml", acme);
    fs::create_dir_all(dir.path().join("timelog")).unwrap();
    for (rel, content) in extra {
        write(dir.path(), rel, content);
    }
    dir
}

/// The brief's ledger: supportctl.toml, contracts/acme.toml, no tickets.csv.
fn acme_ledger() -> TempDir {
    ledger_with("timezone = \"Europe/Berlin\"\n", ACME, &[])
}

/// `acme_ledger` with two tickets written through the binary: SD-1234
/// received, answered and resolved; SD-1240 received and open.
fn seeded() -> TempDir {
    let l = acme_ledger();
    let steps: [&[&str]; 4] = [
        &["ticket", "open", "SD-1234", "--contract", "acme", "--at", "2026-11-20 09:15"],
        &["ticket", "respond", "SD-1234", "--at", "2026-11-20 10:00"],
        &["ticket", "resolve", "SD-1234", "--at", "2026-11-21 10:00"],
        &["ticket", "open", "SD-1240", "--contract", "acme", "--at", "2026-11-24 09:00"],
    ];
    for args in steps {
        ok(l.path(), args);
    }
    l
}

fn tickets_csv(ledger: &Path) -> String {
    fs::read_to_string(ledger.join("tickets.csv")).expect("tickets.csv exists")
}

/// The data rows of tickets.csv, as CSV records (header checked).
fn rows(ledger: &Path) -> Vec<Vec<String>> {
    let text = tickets_csv(ledger);
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>().join(","), HEADER);
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

/// A ULID: 26 characters of Crockford base32, the first at most 7.
fn is_ulid(s: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    s.len() == 26 && s.chars().all(|c| ALPHABET.contains(c)) && s.as_bytes()[0] <= b'7'
}

/// Every file and folder under `root` with its bytes (None for a folder).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            if e.file_type().unwrap().is_dir() {
                out.insert(rel, None);
                walk(root, &e.path(), out);
            } else {
                out.insert(rel, Some(fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Runs `args` at [`NOW`] and expects a refusal: exit `code`, nothing on
/// stdout, every needle in stderr, every ledger file byte-identical.
/// Returns stderr.
fn refused(ledger: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
    let before = snapshot(ledger);
    let a = run(ledger, args);
    let err = stderr(&a);
    assert_eq!(a.get_output().status.code(), Some(code), "supportctl {args:?}: exit code; stderr:\n{err}");
    assert_eq!(stdout(&a), "", "supportctl {args:?}: a refusal prints nothing on stdout");
    for n in needles {
        assert!(err.contains(n), "supportctl {args:?}: stderr lacks {n:?}:\n{err}");
    }
    assert!(before == snapshot(ledger), "supportctl {args:?} was refused but changed the ledger");
    err
}

/// `sla ARGS --format json` at `now`, parsed.
fn sla_json_at(ledger: &Path, now: &str, month: &str) -> Value {
    let text = ok_at(ledger, now, &["sla", "--month", month, "--format", "json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("sla --format json is not JSON ({e}):\n{text}"))
}

fn sla_json(ledger: &Path, month: &str) -> Value {
    sla_json_at(ledger, NOW, month)
}

fn find<'a>(report: &'a Value, list: &str, key: &str, id: &str) -> &'a Value {
    report[list]
        .as_array()
        .unwrap_or_else(|| panic!("no array {list:?} in {report}"))
        .iter()
        .find(|t| t[key] == id)
        .unwrap_or_else(|| panic!("no {key} {id} in {list}: {report:#}"))
}

fn ticket<'a>(report: &'a Value, id: &str) -> &'a Value {
    find(report, "tickets", "ticket", id)
}

fn contract<'a>(report: &'a Value, id: &str) -> &'a Value {
    find(report, "contracts", "contract", id)
}

/// Every key of `expected` has that value in `actual`.
fn assert_fields(actual: &Value, expected: &Value) {
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&actual[k], v, "field {k:?} of {actual:#}");
    }
}

/// The ticket keys in the order of the `tickets` array.
fn ticket_order(report: &Value) -> Vec<&str> {
    report["tickets"].as_array().unwrap().iter().map(|t| t["ticket"].as_str().unwrap()).collect()
}

/// The ticket keys of the table rows of `tickets`, top to bottom.
fn listed(out: &str) -> Vec<&str> {
    out.lines()
        .filter_map(|l| l.split(|c: char| c == '│' || c.is_whitespace()).find(|w| w.starts_with("SD-")))
        .collect()
}

/// The table row of `tickets` naming `ticket`.
fn row_of<'a>(out: &'a str, ticket: &str) -> &'a str {
    out.lines().find(|l| l.contains(ticket)).unwrap_or_else(|| panic!("no row for {ticket}:\n{out}"))
}

// ---------------------------------------------------------------------------
// 1. Recording events.

#[test]
fn open_creates_tickets_csv_with_its_header_and_one_row() {
    let l = acme_ledger();
    assert!(!l.path().join("tickets.csv").exists());
    let out = ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-20 09:15"]);
    // 48 calendar hours after 2026-11-20 09:15 (no clock change in between).
    assert!(out.contains("2026-11-22T09:15:00+01:00"), "the response deadline is named:\n{out}");

    let text = tickets_csv(l.path());
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert_eq!(lines.len(), 2, "a header and one row:\n{text}");
    assert_eq!(lines[0], format!("{HEADER}\n"));
    let row = lines[1].strip_suffix('\n').expect("the row ends with a line break");
    let (head, id) = row.rsplit_once(',').unwrap();
    assert_eq!(head, "2026-11-20T09:15:00+01:00,SD-1,acme,received,");
    assert!(is_ulid(id), "id {id:?} is a ULID");
}

#[test]
fn at_defaults_to_now_and_is_written_with_the_ledger_offset() {
    let l = acme_ledger();
    ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme"]);
    // RFC 3339 in UTC is an instant: written back in Berlin time.
    ok(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-11-27T09:30:00Z"]);
    // An hour ahead of now is still accepted (only *more* than an hour is refused).
    ok(l.path(), &["ticket", "resolve", "SD-1", "--at", "2026-11-27 11:00"]);
    let r = rows(l.path());
    assert_eq!(r.len(), 3);
    assert_eq!(r[0][..5], ["2026-11-27T10:00:00+01:00", "SD-1", "acme", "received", ""]);
    assert_eq!(r[1][..5], ["2026-11-27T10:30:00+01:00", "SD-1", "acme", "responded", ""]);
    assert_eq!(r[2][..5], ["2026-11-27T11:00:00+01:00", "SD-1", "acme", "resolved", ""]);
}

#[test]
fn respond_escalate_reopen_resolve_each_append_one_row() {
    let l = acme_ledger();
    let steps: [(&[&str], &str, &str); 5] = [
        (&["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-20 09:15"], "received", ""),
        (&["ticket", "respond", "SD-1", "--at", "2026-11-20 10:00"], "responded", ""),
        (&["ticket", "escalate", "SD-1", "--estimate", "12h", "--at", "2026-11-21 10:00"], "escalated", "estimate 12h"),
        (&["ticket", "reopen", "SD-1", "--at", "2026-11-22 10:00"], "reopened", ""),
        (&["ticket", "resolve", "SD-1", "--at", "2026-11-23 10:00"], "resolved", ""),
    ];
    let mut before = String::new();
    for (i, (args, event, note)) in steps.iter().enumerate() {
        let out = ok(l.path(), args);
        assert!(out.contains("SD-1"), "{args:?} says what it recorded:\n{out}");
        let now = tickets_csv(l.path());
        // Append-only: what was there stays byte for byte, plus one line.
        let added = now.strip_prefix(before.as_str()).unwrap_or_else(|| panic!("{args:?} rewrote tickets.csv"));
        let added = if i == 0 { added.strip_prefix(&format!("{HEADER}\n")).unwrap() } else { added };
        assert_eq!(added.matches('\n').count(), 1, "{args:?} appends exactly one line: {added:?}");
        assert!(added.ends_with('\n'));
        let r = rows(l.path());
        assert_eq!(r.len(), i + 1);
        assert_eq!((r[i][1].as_str(), r[i][2].as_str()), ("SD-1", "acme"));
        assert_eq!(r[i][3], *event);
        assert_eq!(r[i][4], *note);
        before = now;
    }
    let r = rows(l.path());
    let ids: std::collections::BTreeSet<&str> = r.iter().map(|row| row[5].as_str()).collect();
    assert_eq!(ids.len(), 5, "five distinct ids");
    assert!(ids.iter().all(|id| is_ulid(id)));

    // The resolution clock ran 20 Nov 09:15 – 21 Nov 10:00 (24:45) and
    // 22 Nov 10:00 – 23 Nov 10:00 (24:00), not while escalated: 2925 min,
    // beyond the 48 h (2880 min) target.
    let v = sla_json(l.path(), "2026-11");
    assert_fields(
        ticket(&v, "SD-1"),
        &json!({
            "received": "2026-11-20T09:15:00+01:00",
            "response_deadline": "2026-11-22T09:15:00+01:00",
            "first_response": "2026-11-20T10:00:00+01:00",
            "response_minutes": 45, "response_met": true,
            "resolved": "2026-11-23T10:00:00+01:00",
            "resolution_minutes": 2925, "resolution_met": false,
            "escalated": true, "estimate_minutes": 720
        }),
    );
}

#[test]
fn escalate_with_an_estimate_and_a_note() {
    let l = acme_ledger();
    ok(l.path(), &["ticket", "open", "SD-7", "--contract", "acme", "--at", "2026-11-20 09:00"]);
    ok(
        l.path(),
        &["ticket", "escalate", "SD-7", "--estimate", "1h30m", "--note", "needs a quote", "--at", "2026-11-20 11:00"],
    );
    let r = rows(l.path());
    assert!(r[1][4].starts_with("estimate 1h30m"), "note {:?}", r[1][4]);
    assert!(r[1][4].contains("needs a quote"), "note {:?}", r[1][4]);
    let v = sla_json(l.path(), "2026-11");
    // Escalated: left the package, neither open nor counted against the target.
    assert_fields(
        ticket(&v, "SD-7"),
        &json!({ "escalated": true, "estimate_minutes": 90, "resolved": null, "resolution_met": null }),
    );
    assert_fields(contract(&v, "acme"), &json!({ "open": 0, "escalated": 1, "resolved_in_target": 0 }));
}

#[test]
fn a_local_time_in_the_october_fold_is_accepted_with_its_offset() {
    let l = acme_ledger();
    let out = ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-10-25T02:30:00+01:00"]);
    assert!(out.contains("2026-10-27T02:30:00+01:00"), "48 real hours later:\n{out}");
    // The first 02:30 (summer time) is a different instant, an hour earlier.
    let out = ok(l.path(), &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2026-10-25T02:30:00+02:00"]);
    assert!(out.contains("2026-10-27T01:30:00+01:00"), "48 real hours later:\n{out}");
    let r = rows(l.path());
    assert_eq!(r[0][0], "2026-10-25T02:30:00+01:00");
    assert_eq!(r[1][0], "2026-10-25T02:30:00+02:00");
}

#[test]
fn a_complete_last_row_without_line_break_gets_one_before_the_new_row() {
    let l = acme_ledger();
    let old = format!("{HEADER}\n2026-11-20T09:15:00+01:00,SD-1,acme,received,,01KAAAAAAAAAAAAAAAAAAAAAAA");
    write(l.path(), "tickets.csv", &old);
    ok(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-11-20 10:00"]);
    let text = tickets_csv(l.path());
    let added = text.strip_prefix(&format!("{old}\n")).unwrap_or_else(|| panic!("not old + newline + row:\n{text}"));
    assert!(added.starts_with("2026-11-20T10:00:00+01:00,SD-1,acme,responded,,") && added.ends_with('\n'));
}

#[test]
fn a_torn_last_row_is_reported_and_nothing_is_appended_after_it() {
    let l = acme_ledger();
    let old = format!(
        "{HEADER}\n2026-11-20T09:15:00+01:00,SD-1,acme,received,,01KAAAAAAAAAAAAAAAAAAAAAAA\n2026-11-20T10:00:00+01:00,SD-1,ac"
    );
    write(l.path(), "tickets.csv", &old);
    refused(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-11-20 10:00"], 1, &["tickets.csv:3"]);
}

// ---------------------------------------------------------------------------
// 2. Refusals: exit code, the reason on stderr, the ledger untouched.

#[test]
fn respond_to_an_unknown_ticket_suggests_a_close_key() {
    let l = seeded();
    // SD-1324: two digits swapped from SD-1234.
    refused(l.path(), &["ticket", "respond", "SD-1324"], 1, &["SD-1324", "did you mean \"SD-1234\""]);
    let err = refused(l.path(), &["ticket", "respond", "XY-9"], 1, &["XY-9"]);
    assert!(!err.contains("did you mean"), "no suggestion when no key is close:\n{err}");
}

#[test]
fn respond_to_a_ticket_in_an_empty_ledger_is_refused() {
    let l = acme_ledger();
    refused(l.path(), &["ticket", "respond", "SD-1"], 1, &["SD-1"]);
    assert!(!l.path().join("tickets.csv").exists());
}

#[test]
fn open_an_existing_ticket_again_is_refused() {
    let l = seeded();
    refused(
        l.path(),
        &["ticket", "open", "SD-1234", "--contract", "acme"],
        1,
        &["SD-1234", "2026-11-20T09:15:00+01:00"],
    );
}

#[test]
fn resolve_twice_is_refused() {
    let l = seeded();
    refused(l.path(), &["ticket", "resolve", "SD-1234"], 1, &["SD-1234", "resolved"]);
}

#[test]
fn escalate_a_resolved_ticket_is_refused() {
    let l = seeded();
    refused(l.path(), &["ticket", "escalate", "SD-1234", "--estimate", "4h"], 1, &["SD-1234", "resolved"]);
}

#[test]
fn reopen_an_open_ticket_is_refused() {
    let l = seeded();
    refused(l.path(), &["ticket", "reopen", "SD-1240"], 1, &["SD-1240", "open"]);
}

#[test]
fn an_event_before_the_ticket_was_received_is_refused() {
    let l = seeded();
    refused(
        l.path(),
        &["ticket", "respond", "SD-1240", "--at", "2026-11-24 08:59"],
        1,
        &["SD-1240", "2026-11-24T09:00:00+01:00"],
    );
}

#[test]
fn an_at_more_than_an_hour_ahead_is_a_usage_error() {
    let l = seeded();
    refused(l.path(), &["ticket", "respond", "SD-1240", "--at", "2026-11-27 11:01"], 2, &["--at"]);
    refused(l.path(), &["ticket", "open", "SD-2000", "--contract", "acme", "--at", "2026-12-01 09:00"], 2, &["--at"]);
}

#[test]
fn a_malformed_at_is_a_usage_error() {
    let l = seeded();
    refused(l.path(), &["ticket", "respond", "SD-1240", "--at", "yesterday 9am"], 2, &["yesterday 9am"]);
    refused(l.path(), &["ticket", "respond", "SD-1240", "--at", "2026-11-24 09:00:30"], 2, &["--at"]);
}

#[test]
fn an_at_in_the_march_gap_is_a_usage_error() {
    let l = seeded();
    refused(
        l.path(),
        &["ticket", "open", "SD-2000", "--contract", "acme", "--at", "2026-03-29 02:30"],
        2,
        &["2026-03-29 02:30", "exist"],
    );
}

#[test]
fn an_at_in_the_october_fold_without_offset_is_a_usage_error() {
    let l = seeded();
    // The message offers both readings.
    refused(
        l.path(),
        &["ticket", "open", "SD-2000", "--contract", "acme", "--at", "2026-10-25 02:30"],
        2,
        &["2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"],
    );
}

#[test]
fn open_for_an_unknown_contract_suggests_the_closest() {
    let l = seeded();
    refused(l.path(), &["ticket", "open", "SD-2000", "--contract", "acem"], 1, &["acem", "did you mean \"acme\""]);
}

#[test]
fn open_for_a_contract_not_active_in_the_month_is_refused() {
    let beta = "customer = \"Beta AG\"\ntier = \"16h\"\nstart = \"2026-01\"\nend = \"2026-10\"\n";
    let l = ledger_with("timezone = \"Europe/Berlin\"\n", ACME, &[("contracts/beta.toml", beta)]);
    ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-02 09:00"]);
    refused(
        l.path(),
        &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2025-12-15 10:00"],
        1,
        &["acme", "2025-12"],
    );
    refused(
        l.path(),
        &["ticket", "open", "SD-2", "--contract", "beta", "--at", "2026-11-02 10:00"],
        1,
        &["beta", "2026-11"],
    );
    // The month is the ledger's: 31 Oct 23:30 UTC is 1 Nov 00:30 in Berlin.
    refused(l.path(), &["ticket", "open", "SD-2", "--contract", "beta", "--at", "2026-10-31T23:30:00Z"], 1, &["beta"]);
    ok(l.path(), &["ticket", "open", "SD-2", "--contract", "beta", "--at", "2026-10-31T22:30:00Z"]);
}

// ---------------------------------------------------------------------------
// 3. `check` on tickets.csv.

#[test]
fn check_reports_every_tickets_csv_problem_with_its_line() {
    let l = acme_ledger();
    let file = [
        HEADER,                                            // 1
        "2026-11-02T09:00:00+01:00,SD-1,acme,received,,",  // 2 fine
        "2026-11-02T10:00:00+01:00,SD-1,acme,answered,,",  // 3 unknown event
        "2026-11-02 25:00,SD-1,acme,responded,,",          // 4 malformed at
        "2026-11-01T10:00:00+01:00,SD-1,acme,responded,,", // 5 before received
        "2026-11-03T10:00:00+01:00,SD-2,acme,responded,,", // 6 no received at all
        "2026-11-04T10:00:00+01:00,SD-1,acme,resolved,,",  // 7 fine
        "2026-11-05T10:00:00+01:00,SD-1,acme,resolved,,",  // 8 resolved twice
        "2026-11-05T10:00:00+01:00,SD-3,acne,received,,",  // 9 unknown contract
        "2025-12-01T10:00:00+01:00,SD-4,acme,received,,",  // 10 contract not active
        "2026-03-29 02:30,SD-5,acme,received,,",           // 11 does not exist
        "2026-10-25 02:30,SD-6,acme,received,,",           // 12 exists twice
        "2026-11-06T10:00:00+01:00,SD-7,acme,received,,",  // 13 fine
        "2026-11-07T10:00:00+01:00,SD-7,acme,received,,",  // 14 received twice
    ]
    .join("\n")
        + "\n";
    write(l.path(), "tickets.csv", &file);
    let a = run(l.path(), &["check"]);
    let err = stderr(&a);
    assert_eq!(a.get_output().status.code(), Some(1), "check exits 1:\n{err}");
    let problems: Vec<&str> = err.lines().filter(|line| line.starts_with("tickets.csv")).collect();
    // (line, what the message must say: every group needs one of its words)
    let expected: [(usize, &[&[&str]]); 10] = [
        (3, &[&["\"answered\""], &["event"]]),
        (4, &[&["2026-11-02 25:00"]]),
        (5, &[&["before"], &["2026-11-01T10:00:00+01:00"]]),
        (6, &[&["SD-2"], &["received"]]),
        (8, &[&["again", "twice"]]),
        (9, &[&["acne"], &["did you mean \"acme\""]]),
        (10, &[&["2025-12"]]),
        (11, &[&["2026-03-29 02:30"], &["exist"]]),
        (12, &[&["2026-10-25 02:30"], &["twice", "ambiguous"]]),
        (14, &[&["again", "twice"]]),
    ];
    for (line, groups) in expected {
        let prefix = format!("tickets.csv:{line}:");
        let hits: Vec<&&str> = problems.iter().filter(|p| p.starts_with(&prefix)).collect();
        assert_eq!(hits.len(), 1, "one problem on line {line}:\n{err}");
        for group in groups {
            assert!(group.iter().any(|w| hits[0].contains(w)), "line {line}: {:?} lacks one of {group:?}", hits[0]);
        }
    }
    assert_eq!(problems.len(), expected.len(), "no other tickets.csv problems:\n{err}");
}

#[test]
fn check_passes_on_tickets_written_by_the_commands() {
    let l = seeded();
    let a = run(l.path(), &["check"]);
    assert_eq!(a.get_output().status.code(), Some(0), "check:\n{}{}", stdout(&a), stderr(&a));
}

// ---------------------------------------------------------------------------
// 4. `tickets` on the demo ledger.

/// The November tickets of the demo ledger.
const DEMO_NOVEMBER: [&str; 7] = ["SD-1243", "SD-1245", "SD-1251", "SD-1252", "SD-1261", "SD-1267", "SD-1270"];

#[test]
fn tickets_lists_the_month_most_urgent_first() {
    let out = ok(&demo(), &["tickets"]);
    let list = listed(&out);
    let mut sorted = list.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, DEMO_NOVEMBER, "the tickets received in November:\n{out}");
    // SD-1270 (received 26 Nov 15:30, calendar clock) is the one waiting for
    // a first response: due 28 Nov 15:30, 29:30 after now. The other open
    // ticket (SD-1267, answered) follows.
    assert_eq!(list[..2], ["SD-1270", "SD-1267"], "\n{out}");
    assert!(row_of(&out, "SD-1270").contains("29:30 left"), "\n{out}");
    assert!(row_of(&out, "SD-1270").contains("2026-11-28 15:30"), "\n{out}");
    // The one breach of November: SD-1252 answered after 52:30.
    assert!(row_of(&out, "SD-1252").contains('⚠'), "\n{out}");
    for t in DEMO_NOVEMBER.iter().filter(|t| **t != "SD-1252") {
        assert!(!row_of(&out, t).contains('⚠'), "{t} is not breached:\n{out}");
    }
    assert!(!out.contains('\x1b'), "no ANSI codes without a terminal:\n{out:?}");
}

#[test]
fn tickets_open_lists_only_open_tickets() {
    let out = ok(&demo(), &["tickets", "--open"]);
    assert_eq!(listed(&out), ["SD-1270", "SD-1267"], "\n{out}");
    assert!(!out.contains('\x1b'));
}

#[test]
fn tickets_of_one_contract() {
    let out = ok(&demo(), &["tickets", "--contract", "alpen-kliniken"]);
    assert_eq!(listed(&out), ["SD-1270", "SD-1252"], "\n{out}");
    let out = ok(&demo(), &["tickets", "--open", "--contract", "hansa-versicherung"]);
    assert_eq!(listed(&out), ["SD-1267"], "\n{out}");
    let out = ok(&demo(), &["tickets", "--month", "2026-10"]);
    assert_eq!(listed(&out), ["SD-1218"], "\n{out}");
}

#[test]
fn tickets_for_an_unknown_contract_is_refused() {
    let a = run(&demo(), &["tickets", "--contract", "alpen"]);
    let err = stderr(&a);
    assert_eq!(a.get_output().status.code(), Some(1), "\n{err}");
    assert!(err.contains("alpen") && err.contains("alpen-kliniken"), "names the contract and a suggestion:\n{err}");
}

#[test]
fn tickets_marks_an_unanswered_ticket_past_its_deadline() {
    // Two days later SD-1270 (due 28 Nov 15:30) is 18:30 past its deadline.
    let out = ok_at(&demo(), "2026-11-29T10:00:00+01:00", &["tickets", "--open"]);
    assert_eq!(listed(&out)[0], "SD-1270", "\n{out}");
    let row = row_of(&out, "SD-1270");
    assert!(row.contains('⚠') && row.contains("18:30"), "\n{out}");
    let v = sla_json_at(&demo(), "2026-11-29T10:00:00+01:00", "2026-11");
    assert_eq!(ticket(&v, "SD-1270")["response_met"], false);
    assert_fields(contract(&v, "alpen-kliniken"), &json!({ "breached": 2, "responded_in_time": 0, "open": 1 }));
}

// ---------------------------------------------------------------------------
// 5. `sla` on the demo ledger.

#[test]
fn sla_json_on_the_demo_november() {
    let v = sla_json(&demo(), "2026-11");
    assert_eq!(v["month"], "2026-11");
    for t in v["tickets"].as_array().unwrap() {
        for f in SPEC_TICKET_FIELDS {
            assert!(t.get(f).is_some(), "ticket field {f} missing in {t}");
        }
    }
    for c in v["contracts"].as_array().unwrap() {
        for f in SPEC_CONTRACT_FIELDS {
            assert!(c.get(f).is_some(), "contract field {f} missing in {c}");
        }
    }
    // Sorted by received (SD-1243 08:40 before SD-1245 09:15 on 2 Nov, …).
    assert_eq!(ticket_order(&v), ["SD-1243", "SD-1245", "SD-1251", "SD-1252", "SD-1261", "SD-1267", "SD-1270"]);

    let expected = [
        // Calendar: 08:40 → 09:30 is 50 min; resolved 17:10, 8:30 = 510 min.
        json!({
            "ticket": "SD-1243", "contract": "brandt-logistik",
            "received": "2026-11-02T08:40:00+01:00", "response_deadline": "2026-11-04T08:40:00+01:00",
            "first_response": "2026-11-02T09:30:00+01:00", "response_minutes": 50, "response_met": true,
            "resolved": "2026-11-02T17:10:00+01:00", "resolution_minutes": 510, "resolution_met": true,
            "escalated": false, "estimate_minutes": null
        }),
        // Answered after 50 min, escalated on 4 Nov with "estimate 12h":
        // left the package, resolution_met stays null.
        json!({
            "ticket": "SD-1245", "contract": "nordwind-energie",
            "received": "2026-11-02T09:15:00+01:00", "response_deadline": "2026-11-04T09:15:00+01:00",
            "first_response": "2026-11-02T10:05:00+01:00", "response_minutes": 50, "response_met": true,
            "resolved": null, "resolution_minutes": null, "resolution_met": null,
            "escalated": true, "estimate_minutes": 720
        }),
        // Business clock 09:00–17:00 Mon–Fri, DE-HH (no holiday in Nov):
        // Fri 6 Nov 16:00 → 1 h that Friday, 5 × 8 h Mon 9 – Fri 13, 7 h on
        // Mon 16: deadline Mon 16 Nov 16:00. Response Mon 9 10:30: 60 + 90 =
        // 150 min. Resolved Tue 10 15:00: 60 + 480 + 360 = 900 min.
        json!({
            "ticket": "SD-1251", "contract": "hansa-versicherung",
            "received": "2026-11-06T16:00:00+01:00", "response_deadline": "2026-11-16T16:00:00+01:00",
            "first_response": "2026-11-09T10:30:00+01:00", "response_minutes": 150, "response_met": true,
            "resolved": "2026-11-10T15:00:00+01:00", "resolution_minutes": 900, "resolution_met": true,
            "escalated": false, "estimate_minutes": null
        }),
        // Calendar, received Saturday 10:00: answered Mon 14:30 = 2 days
        // 4:30 = 3150 min > 2880: breached. Resolved Tue 16:00 = 3 days 6 h
        // = 4680 min, beyond the target.
        json!({
            "ticket": "SD-1252", "contract": "alpen-kliniken",
            "received": "2026-11-07T10:00:00+01:00", "response_deadline": "2026-11-09T10:00:00+01:00",
            "first_response": "2026-11-09T14:30:00+01:00", "response_minutes": 3150, "response_met": false,
            "resolved": "2026-11-10T16:00:00+01:00", "resolution_minutes": 4680, "resolution_met": false,
            "escalated": false, "estimate_minutes": null
        }),
        // Resolved, reopened, resolved: 16 Nov 09:00–16:30 (450) plus
        // 18 Nov 08:30–12:00 (210) = 660; the resolution is the last one.
        json!({
            "ticket": "SD-1261", "contract": "brandt-logistik",
            "received": "2026-11-16T09:00:00+01:00", "response_deadline": "2026-11-18T09:00:00+01:00",
            "first_response": "2026-11-16T11:00:00+01:00", "response_minutes": 120, "response_met": true,
            "resolved": "2026-11-18T12:00:00+01:00", "resolution_minutes": 660, "resolution_met": true,
            "escalated": false, "estimate_minutes": null
        }),
        // Business clock: Fri 20 Nov 10:00 → 7 h that Friday, 40 h Mon 23 –
        // Fri 27, 1 h on Mon 30: deadline 30 Nov 10:00. Answered after 70
        // min. Still open: by now 7 + 32 + 1 = 40 business hours < 48, so
        // resolution_met is still null.
        json!({
            "ticket": "SD-1267", "contract": "hansa-versicherung",
            "received": "2026-11-20T10:00:00+01:00", "response_deadline": "2026-11-30T10:00:00+01:00",
            "first_response": "2026-11-20T11:10:00+01:00", "response_minutes": 70, "response_met": true,
            "resolved": null, "resolution_minutes": null, "resolution_met": null,
            "escalated": false, "estimate_minutes": null
        }),
        // No response yet, deadline 28 Nov 15:30 still ahead: null.
        json!({
            "ticket": "SD-1270", "contract": "alpen-kliniken",
            "received": "2026-11-26T15:30:00+01:00", "response_deadline": "2026-11-28T15:30:00+01:00",
            "first_response": null, "response_minutes": null, "response_met": null,
            "resolved": null, "resolution_minutes": null, "resolution_met": null,
            "escalated": false, "estimate_minutes": null
        }),
    ];
    for e in &expected {
        assert_fields(ticket(&v, e["ticket"].as_str().unwrap()), e);
    }

    let ids: Vec<&str> = v["contracts"].as_array().unwrap().iter().map(|c| c["contract"].as_str().unwrap()).collect();
    assert_eq!(ids, ["alpen-kliniken", "brandt-logistik", "hansa-versicherung", "nordwind-energie"]);
    let contracts = [
        // SD-1252 (breached, 3150) and SD-1270 (open, not yet due).
        json!({ "contract": "alpen-kliniken", "clock": "calendar", "received": 2, "responded_in_time": 0,
                "breached": 1, "open": 1, "median_response_minutes": 3150, "max_response_minutes": 3150,
                "resolved_in_target": 0, "escalated": 0 }),
        // 50 and 120: median (50 + 120) / 2 = 85.
        json!({ "contract": "brandt-logistik", "clock": "calendar", "received": 2, "responded_in_time": 2,
                "breached": 0, "open": 0, "median_response_minutes": 85, "max_response_minutes": 120,
                "resolved_in_target": 2, "escalated": 0 }),
        // 150 and 70: median 110.
        json!({ "contract": "hansa-versicherung", "clock": "business", "received": 2, "responded_in_time": 2,
                "breached": 0, "open": 1, "median_response_minutes": 110, "max_response_minutes": 150,
                "resolved_in_target": 1, "escalated": 0 }),
        // Escalated: neither open nor resolved in target.
        json!({ "contract": "nordwind-energie", "clock": "calendar", "received": 1, "responded_in_time": 1,
                "breached": 0, "open": 0, "median_response_minutes": 50, "max_response_minutes": 50,
                "resolved_in_target": 0, "escalated": 1 }),
    ];
    for e in &contracts {
        assert_fields(contract(&v, e["contract"].as_str().unwrap()), e);
    }
}

#[test]
fn sla_of_one_contract() {
    let text = ok(&demo(), &["sla", "--month", "2026-11", "--contract", "hansa-versicherung", "--format", "json"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ticket_order(&v), ["SD-1251", "SD-1267"]);
    assert_eq!(v["contracts"].as_array().unwrap().len(), 1);
    let a = run(&demo(), &["sla", "--month", "2026-11", "--contract", "hansa"]);
    assert_eq!(a.get_output().status.code(), Some(1));
    assert!(stderr(&a).contains("hansa-versicherung"), "suggestion:\n{}", stderr(&a));
}

#[test]
fn sla_csv_has_one_row_per_ticket_with_the_json_fields() {
    let v = sla_json(&demo(), "2026-11");
    let text = ok(&demo(), &["sla", "--month", "2026-11", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..12], SPEC_TICKET_FIELDS, "the §7.1 ticket fields first, in order");
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let tickets = v["tickets"].as_array().unwrap();
    assert_eq!(records.len(), tickets.len(), "one row per ticket:\n{text}");
    let mut json_keys: Vec<&str> = tickets[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut csv_keys: Vec<&str> = header.iter().map(String::as_str).collect();
    json_keys.sort_unstable();
    csv_keys.sort_unstable();
    assert_eq!(csv_keys, json_keys, "the CSV columns are the JSON ticket fields");
    for (rec, t) in records.iter().zip(tickets) {
        for (i, field) in header.iter().enumerate() {
            let cell = &rec[i];
            let want = match &t[field] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, want, "{} {field}", t["ticket"]);
        }
    }
}

#[test]
fn sla_table_on_the_demo_november() {
    let out = ok(&demo(), &["sla", "--month", "2026-11"]);
    assert!(!out.contains('\x1b'));
    assert!(out.contains("SD-1252") && out.contains("52:30"), "the breach is listed with its response time:\n{out}");
    assert!(out.contains("SD-1245") && out.contains("12:00"), "the escalation with its estimate:\n{out}");
    insta::assert_snapshot!("sla_demo_2026_11_table", out);
}

#[test]
fn sla_markdown_on_the_demo_november() {
    let out = ok(&demo(), &["sla", "--month", "2026-11", "--format", "markdown"]);
    assert!(out.contains("SD-1252") && out.contains("52:30"), "\n{out}");
    insta::assert_snapshot!("sla_demo_2026_11_markdown", out);
}

#[test]
fn sla_on_the_demo_october() {
    let v = sla_json(&demo(), "2026-10");
    assert_eq!(v["month"], "2026-10");
    assert_eq!(ticket_order(&v), ["SD-1218"]);
    // Thu 8 Oct 16:20 (summer time) → Fri 9 Oct 09:10: 16:50 = 1010 min.
    // Resolved Wed 14 Oct 12:00: 5 days 19:40 = 8380 min > 2880.
    assert_fields(
        ticket(&v, "SD-1218"),
        &json!({
            "ticket": "SD-1218", "contract": "stadtwerke-rheinpfalz",
            "received": "2026-10-08T16:20:00+02:00", "response_deadline": "2026-10-10T16:20:00+02:00",
            "first_response": "2026-10-09T09:10:00+02:00", "response_minutes": 1010, "response_met": true,
            "resolved": "2026-10-14T12:00:00+02:00", "resolution_minutes": 8380, "resolution_met": false,
            "escalated": false, "estimate_minutes": null
        }),
    );
    assert_eq!(v["contracts"].as_array().unwrap().len(), 1);
    assert_fields(
        contract(&v, "stadtwerke-rheinpfalz"),
        &json!({ "clock": "calendar", "received": 1, "responded_in_time": 1, "breached": 0, "open": 0,
                 "median_response_minutes": 1010, "max_response_minutes": 1010,
                 "resolved_in_target": 0, "escalated": 0 }),
    );
}

#[test]
fn sla_median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_down() {
    let l = acme_ledger();
    for args in [
        &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-02 09:00"][..],
        &["ticket", "respond", "SD-1", "--at", "2026-11-02 10:01"], // 61 min
        &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2026-11-03 09:00"],
        &["ticket", "respond", "SD-2", "--at", "2026-11-03 10:30"], // 90 min
        &["ticket", "open", "SD-3", "--contract", "acme", "--at", "2026-11-04 09:00"],
        &["ticket", "respond", "SD-3", "--at", "2026-11-04 09:10"], // 10 min
        &["ticket", "open", "SD-4", "--contract", "acme", "--at", "2026-11-05 09:00"],
        &["ticket", "respond", "SD-4", "--at", "2026-11-05 12:00"], // 180 min
    ] {
        ok(l.path(), args);
    }
    // Sorted 10, 61, 90, 180: (61 + 90) / 2 = 75.5 → 75.
    let v = sla_json(l.path(), "2026-11");
    assert_fields(
        contract(&v, "acme"),
        &json!({ "received": 4, "responded_in_time": 4, "breached": 0, "open": 4,
                 "median_response_minutes": 75, "max_response_minutes": 180 }),
    );
}

#[test]
fn a_ticket_belongs_to_the_month_of_its_received_in_the_ledger_timezone() {
    let l = acme_ledger();
    // 31 Oct 23:30 UTC is 1 Nov 00:30 in Berlin.
    ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-10-31T23:30:00Z"]);
    let nov = sla_json(l.path(), "2026-11");
    assert_eq!(ticket(&nov, "SD-1")["received"], "2026-11-01T00:30:00+01:00");
    let oct = sla_json(l.path(), "2026-10");
    assert!(oct["tickets"].as_array().unwrap().is_empty(), "{oct:#}");
    assert!(oct["contracts"].as_array().unwrap().iter().all(|c| c["received"] == 0), "{oct:#}");
}

// ---------------------------------------------------------------------------
// 6. The calendar clock across daylight-saving changes; the business clock.

#[test]
fn the_spec_example_across_the_october_change() {
    let l = acme_ledger();
    let out = ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-10-24T12:00:00+02:00"]);
    // 48 real hours: 10:00 UTC on 24 Oct → 10:00 UTC on 26 Oct = 11:00 CET.
    assert!(out.contains("2026-10-26T11:00:00+01:00"), "\n{out}");
    let out = ok(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-10-26T11:30:00+01:00"]);
    assert!(out.contains("48:30"), "2910 min = 48:30, late:\n{out}");
    ok(l.path(), &["ticket", "escalate", "SD-1", "--estimate", "12h", "--at", "2026-10-26T12:00:00+01:00"]);
    // Two more tickets so that the contract line is the SPEC's as well.
    for args in [
        &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2026-10-05 10:00"][..],
        &["ticket", "respond", "SD-2", "--at", "2026-10-05 11:35"], // 95 min
        &["ticket", "resolve", "SD-2", "--at", "2026-10-06 10:00"], // 1440 min: in target
        &["ticket", "open", "SD-3", "--contract", "acme", "--at", "2026-10-12 09:00"],
        &["ticket", "respond", "SD-3", "--at", "2026-10-12 09:30"], // 30 min
        &["ticket", "resolve", "SD-3", "--at", "2026-10-15 09:00"], // 4320 min: beyond
    ] {
        ok(l.path(), args);
    }
    let v = sla_json(l.path(), "2026-10");
    assert_eq!(v["month"], "2026-10");
    assert_eq!(ticket_order(&v), ["SD-2", "SD-3", "SD-1"]);
    // SPEC §7.1, verbatim.
    assert_fields(
        ticket(&v, "SD-1"),
        &json!({
            "ticket": "SD-1", "contract": "acme",
            "received": "2026-10-24T12:00:00+02:00",
            "response_deadline": "2026-10-26T11:00:00+01:00",
            "first_response": "2026-10-26T11:30:00+01:00",
            "response_minutes": 2910, "response_met": false,
            "resolved": null, "resolution_minutes": null, "resolution_met": null,
            "escalated": true, "estimate_minutes": 720
        }),
    );
    // Responses 95, 30, 2910: median 95.
    assert_fields(
        contract(&v, "acme"),
        &json!({
            "contract": "acme", "clock": "calendar",
            "received": 3, "responded_in_time": 2, "breached": 1, "open": 0,
            "median_response_minutes": 95, "max_response_minutes": 2910,
            "resolved_in_target": 1, "escalated": 1
        }),
    );
}

#[test]
fn the_calendar_clock_across_the_march_change() {
    let l = acme_ledger();
    // 11:00 UTC on 28 Mar + 48 h = 11:00 UTC on 30 Mar = 13:00 CEST.
    let out = ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-03-28 12:00"]);
    assert!(out.contains("2026-03-30T13:00:00+02:00"), "\n{out}");
    // 13:00 is exactly the deadline: in time, 2880 min.
    ok(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-03-30 13:00"]);
    let v = sla_json(l.path(), "2026-03");
    assert_fields(
        ticket(&v, "SD-1"),
        &json!({ "received": "2026-03-28T12:00:00+01:00", "response_deadline": "2026-03-30T13:00:00+02:00",
                 "response_minutes": 2880, "response_met": true }),
    );
}

const BUSINESS: &str = "customer = \"ACME GmbH\"\ntier = \"16h\"\nstart = \"2026-01\"\nsla_clock = \"business\"\n";

#[test]
fn the_business_clock_through_the_binary() {
    let now = "2026-11-30T10:00:00+01:00";
    let l = ledger_with("timezone = \"Europe/Berlin\"\nholidays = \"DE\"\n", BUSINESS, &[]);
    // Fri 20 Nov 09:00: 8 h that day and 40 h Mon 23 – Fri 27 use up the
    // 48 h exactly at the closing on Fri 27 Nov, 17:00.
    let out = ok_at(l.path(), now, &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-20 09:00"]);
    assert!(out.contains("2026-11-27T17:00:00+01:00"), "\n{out}");
    // A reply at 17:30 after a 17:00 deadline the same day is in time.
    ok_at(l.path(), now, &["ticket", "respond", "SD-1", "--at", "2026-11-27 17:30"]);
    // Received on Saturday: the clock starts Mon 23 09:00; 40 h that week,
    // 8 h on Mon 30: deadline Mon 30 Nov 17:00.
    let out = ok_at(l.path(), now, &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2026-11-21 11:00"]);
    assert!(out.contains("2026-11-30T17:00:00+01:00"), "\n{out}");
    // Fri 20 Nov 16:00: 1 h + 40 h + 7 h → Mon 30 Nov 16:00; answered Mon
    // 23 09:30: 60 + 30 = 90 business minutes.
    let out = ok_at(l.path(), now, &["ticket", "open", "SD-3", "--contract", "acme", "--at", "2026-11-20 16:00"]);
    assert!(out.contains("2026-11-30T16:00:00+01:00"), "\n{out}");
    ok_at(l.path(), now, &["ticket", "respond", "SD-3", "--at", "2026-11-23 09:30"]);

    let v = sla_json_at(l.path(), now, "2026-11");
    assert_fields(
        ticket(&v, "SD-1"),
        &json!({ "response_deadline": "2026-11-27T17:00:00+01:00", "first_response": "2026-11-27T17:30:00+01:00",
                 "response_minutes": 2880, "response_met": true }),
    );
    assert_fields(
        ticket(&v, "SD-2"),
        &json!({ "response_deadline": "2026-11-30T17:00:00+01:00", "first_response": null,
                 "response_minutes": null, "response_met": null }),
    );
    assert_fields(ticket(&v, "SD-3"), &json!({ "response_minutes": 90, "response_met": true }));
    // Responses 2880 and 90: median 1485.
    assert_fields(
        contract(&v, "acme"),
        &json!({ "clock": "business", "received": 3, "responded_in_time": 2, "breached": 0, "open": 3,
                 "median_response_minutes": 1485, "max_response_minutes": 2880 }),
    );
    // SD-2 waits for its first response: 10:00 → 17:00 today.
    let out = ok_at(l.path(), now, &["tickets", "--open"]);
    assert_eq!(listed(&out)[0], "SD-2", "\n{out}");
    assert!(row_of(&out, "SD-2").contains("7:00 left"), "\n{out}");
}

#[test]
fn the_business_clock_skips_public_holidays_and_holidays_extra() {
    let now = "2027-01-05T10:00:00+01:00";
    let beta = format!("{BUSINESS}holidays_extra = [\"2026-12-24\"]\n").replace("ACME", "Beta");
    let l =
        ledger_with("timezone = \"Europe/Berlin\"\nholidays = \"DE\"\n", BUSINESS, &[("contracts/beta.toml", &beta)]);
    // Wed 23 Dec 09:00: 23, 24, 28, 29, 30, 31 Dec are six business days
    // (25 and 26 Dec are holidays, 24 Dec is not): deadline Thu 31 Dec 17:00.
    let out = ok_at(l.path(), now, &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-12-23 09:00"]);
    assert!(out.contains("2026-12-31T17:00:00+01:00"), "\n{out}");
    // With 24 Dec off as well, and 1 Jan (Neujahr) a holiday: Mon 4 Jan 17:00.
    let out = ok_at(l.path(), now, &["ticket", "open", "SD-2", "--contract", "beta", "--at", "2026-12-23 09:00"]);
    assert!(out.contains("2027-01-04T17:00:00+01:00"), "\n{out}");
}

// ---------------------------------------------------------------------------
// 7. The reminder of `log --ticket`.

#[test]
fn log_reminds_of_a_ticket_without_first_response() {
    let l = acme_ledger();
    ok(l.path(), &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-27 09:15"]);
    let a = run(l.path(), &["log", "acme", "30m", "--ticket", "SD-1", "--engineer", "tester"]);
    let err = stderr(&a);
    assert!(a.get_output().status.success(), "\n{err}");
    // Due 29 Nov 09:15, now 27 Nov 10:00: 47:15 left.
    assert!(err.contains("SD-1") && err.contains("47:15"), "reminder with the time left on stderr:\n{err}");
    assert!(err.contains("2026-11-29T09:15:00+01:00"), "\n{err}");
    assert!(!stdout(&a).contains("47:15"), "the reminder goes to stderr");

    ok(l.path(), &["ticket", "respond", "SD-1", "--at", "2026-11-27 09:45"]);
    let a = run(l.path(), &["log", "acme", "30m", "--ticket", "SD-1", "--engineer", "tester"]);
    assert!(a.get_output().status.success());
    assert!(!stderr(&a).contains("SD-1"), "no reminder after a response:\n{}", stderr(&a));
}

#[test]
fn log_reminds_of_a_ticket_past_its_deadline() {
    let l = acme_ledger();
    ok(l.path(), &["ticket", "open", "SD-2", "--contract", "acme", "--at", "2026-11-24 09:00"]);
    let a = run(l.path(), &["log", "acme", "1h", "--ticket", "SD-2", "--engineer", "tester"]);
    assert!(a.get_output().status.success());
    // Due 26 Nov 09:00, now 27 Nov 10:00: 25:00 past the deadline.
    let err = stderr(&a);
    assert!(err.contains("SD-2") && err.contains("25:00"), "\n{err}");
}

// ---------------------------------------------------------------------------
// 8. `init`.

#[test]
fn init_creates_tickets_csv_and_a_fresh_ledger_with_tickets_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ledger");
    let root_s = root.to_str().unwrap();
    ok(&root, &["init", root_s]);
    assert_eq!(tickets_csv(&root), format!("{HEADER}\n"));
    for args in [
        &["ticket", "open", "SD-1", "--contract", "example", "--at", "2026-11-26 09:00"][..],
        &["ticket", "respond", "SD-1", "--at", "2026-11-26 10:00"],
        &["ticket", "escalate", "SD-1", "--estimate", "8h", "--at", "2026-11-26 11:00"],
        &["ticket", "open", "SD-2", "--contract", "example", "--at", "2026-11-27 09:00"],
    ] {
        ok(&root, args);
    }
    assert_eq!(rows(&root).len(), 4);
    let a = run(&root, &["check"]);
    assert_eq!(a.get_output().status.code(), Some(0), "check:\n{}{}", stdout(&a), stderr(&a));
    // init never overwrites: tickets.csv keeps its rows.
    let before = tickets_csv(&root);
    ok(&root, &["init", root_s]);
    assert_eq!(tickets_csv(&root), before);
}

// ---------------------------------------------------------------------------
// Found as bugs, fixed since.

/// SPEC §7: "An escalated ticket has left the package: until it is reopened
/// it is neither open nor counted against the resolution target
/// (`resolution_met` stays `null`)." A `resolved` after `escalated` without
/// a `reopened` in between does not reopen it.
#[test]
fn a_ticket_resolved_while_escalated_is_not_counted_against_the_target() {
    let l = acme_ledger();
    for args in [
        &["ticket", "open", "SD-1", "--contract", "acme", "--at", "2026-11-20 09:00"][..],
        &["ticket", "respond", "SD-1", "--at", "2026-11-20 10:00"],
        &["ticket", "escalate", "SD-1", "--estimate", "12h", "--at", "2026-11-20 11:00"],
        &["ticket", "resolve", "SD-1", "--at", "2026-11-25 11:00"],
    ] {
        ok(l.path(), args);
    }
    let v = sla_json(l.path(), "2026-11");
    assert_fields(ticket(&v, "SD-1"), &json!({ "escalated": true, "estimate_minutes": 720, "resolution_met": null }));
    assert_fields(contract(&v, "acme"), &json!({ "escalated": 1, "resolved_in_target": 0, "open": 0 }));
}
