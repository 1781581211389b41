//! Integration tests of the recording commands (issue 3; SPEC §2.3, §2.4, §4,
//! §5, §6; RELIABILITY S1–S7, V4, V14, F8, F9, invariants 14–16): `log`,
//! `approve`, `status`, the safe-append protocol, completions and the man page.
//!
//! Every test runs the real binary against its own small ledger in a temp
//! folder, isolated from the environment (no `SUPPORTCTL_LEDGER`, an empty
//! home and XDG folders, a pinned "today", `--ledger` always given). Its
//! ledgers and runs are its own; only the file-tree snapshot is shared.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::PathBuf;
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;
use tempfile::TempDir;

use common::Tree;

/// "Today" for every run unless a test says otherwise.
const TODAY: &str = "2026-11-27";
/// Contract `acme`: 16h tier (960 min), from 2026-01, open-ended.
const ACME: &str = "customer = \"ACME GmbH\"\ntier = \"16h\"\nstart = \"2026-01\"\n";
/// Contract `beta`: 20h tier (1,200 min), 2026-01 to 2026-10.
const BETA: &str = "customer = \"Beta AG\"\ntier = \"20h\"\nstart = \"2026-01\"\nend = \"2026-10\"\n";
/// The header of a time-log file supportctl creates (SPEC §2.3).
const TIMELOG_HEADER: &str = "date,contract,minutes,ticket,kind,level,channel,engineer,note,id";
/// The header of an approvals.csv supportctl creates (SPEC §2.4).
const APPROVALS_HEADER: &str = "date,contract,month,minutes,reference,note,id";
/// A valid row id for hand-made files.
const SOME_ID: &str = "01KB2Z7Q8W3N5YV0M4T6R9J1XA";
const NOV: &str = "timelog/2026-11.csv";

// ---------------------------------------------------------------- helpers

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_supportctl")
}

/// A temp ledger (`root/ledger`) and an empty home (`root/home`).
struct Ledger {
    root: TempDir,
}

impl Ledger {
    /// supportctl.toml (all defaults), contracts acme and beta, an empty `timelog/`.
    fn new() -> Ledger {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("home")).unwrap();
        let l = Ledger { root };
        l.write("supportctl.toml", "");
        l.write("contracts/acme.toml", ACME);
        l.write("contracts/beta.toml", BETA);
        fs::create_dir_all(l.path().join("timelog")).unwrap();
        l
    }

    fn path(&self) -> PathBuf {
        self.root.path().join("ledger")
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.file(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.file(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    fn text(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).unwrap()
    }

    /// Applies the isolation to a command of either kind.
    fn isolate(&self, c: &mut StdCommand) {
        self.isolate_env(c);
        c.arg("--ledger").arg(self.path());
    }

    /// The environment part of the isolation.
    fn isolate_env(&self, c: &mut StdCommand) {
        let home = self.home();
        for var in [
            "SUPPORTCTL_LEDGER",
            "SUPPORTCTL_FAILPOINT",
            "SUPPORTCTL_ENGINEER",
            "SUPPORTCTL_LOCK_WAIT_MS",
            "NO_COLOR",
            "CLICOLOR_FORCE",
        ] {
            c.env_remove(var);
        }
        c.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("SUPPORTCTL_TODAY", TODAY)
            .current_dir(&home);
    }

    /// The binary, isolated, with `--ledger` already given.
    fn cmd(&self) -> Command {
        let mut c = StdCommand::new(bin());
        self.isolate(&mut c);
        Command::from_std(c)
    }

    /// The same as a plain std command (for spawning without waiting).
    fn std_cmd(&self) -> StdCommand {
        let mut c = StdCommand::new(bin());
        self.isolate(&mut c);
        c
    }

    /// Runs `args` and returns the output (any exit code).
    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Every folder and file of the ledger with its bytes.
    fn tree(&self) -> Tree {
        common::tree(&self.path())
    }

    /// Asserts that `check` passes.
    fn check_ok(&self) {
        self.cmd().arg("check").assert().success();
    }
}

/// Asserts that two trees are identical, naming the first difference.
fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    for (p, v) in after {
        match before.get(p) {
            None => panic!("{what}: {} was created", p.display()),
            Some(old) if old != v => panic!(
                "{what}: {} changed\nbefore: {:?}\nafter:  {:?}",
                p.display(),
                old.as_deref().map(String::from_utf8_lossy),
                v.as_deref().map(String::from_utf8_lossy)
            ),
            _ => {}
        }
    }
    for p in before.keys() {
        assert!(after.contains_key(p), "{what}: {} was removed", p.display());
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
fn assert_code(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: expected exit {code}\nstdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// Header and records of a CSV file (strict: every record as long as the header).
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap_or_else(|e| panic!("bad CSV: {e}")).iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Records of a CSV file as maps column → value.
fn read_maps(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = read_csv(bytes);
    rows.into_iter().map(|r| header.iter().cloned().zip(r).collect()).collect()
}

/// A ULID as written by supportctl: 26 characters of Crockford base32.
fn is_ulid(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// A ledger whose November already holds one row and which has approvals.csv,
/// so that refusals can be shown to leave existing files alone.
fn ledger_with_history() -> Ledger {
    let l = Ledger::new();
    l.write(NOV, format!("{TIMELOG_HEADER}\n2026-11-02,acme,30,SD-1,,,,anna,first,{SOME_ID}\n"));
    l.write("approvals.csv", format!("{APPROVALS_HEADER}\n"));
    l
}

// ------------------------------------------------------------ 1. log basics

#[test]
fn log_creates_the_month_file_with_header_and_one_complete_row() {
    let l = Ledger::new();
    let o = l.run(&[
        "log",
        "acme",
        "45m",
        "fixed the macro,",
        "\"quoted\"",
        "--ticket",
        "SD-1",
        "--kind",
        "escalation",
        "--level",
        "3",
        "--channel",
        "phone",
        "--engineer",
        "anna",
        "--date",
        "2026-11-20",
    ]);
    assert_code(&o, 0, "log");
    let bytes = l.read(NOV);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with(&format!("{TIMELOG_HEADER}\n")), "{text}");
    assert!(text.ends_with('\n'), "{text:?}");
    assert_eq!(text.lines().count(), 2, "{text}");
    // The note is CSV-quoted, its quotes doubled.
    assert!(text.contains(",\"fixed the macro, \"\"quoted\"\"\","), "{text}");

    let (header, rows) = read_csv(&bytes);
    assert_eq!(header.join(","), TIMELOG_HEADER);
    assert_eq!(header.last().unwrap(), "id");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        &row[..9],
        ["2026-11-20", "acme", "45", "SD-1", "escalation", "3", "phone", "anna", "fixed the macro, \"quoted\""]
    );
    assert!(is_ulid(&row[9]), "id {:?} is not a ULID", row[9]);
    // Nothing else was created, and the ledger is valid.
    assert_eq!(fs::read_dir(l.file("timelog")).unwrap().count(), 1);
    assert!(!l.file("approvals.csv").exists());
    l.check_ok();
}

#[test]
fn log_accepts_every_duration_form() {
    let l = Ledger::new();
    let forms = [("45m", 45), ("2h", 120), ("1h30m", 90), ("1:30", 90), ("1.5h", 90), ("90", 90), ("0:05", 5)];
    for (form, _) in forms {
        let o = l.run(&["log", "acme", form, "--date", "2026-11-02", "-q", "--", form]);
        assert_code(&o, 0, form);
    }
    let rows = read_maps(&l.read(NOV));
    assert_eq!(rows.len(), forms.len());
    for (row, (form, minutes)) in rows.iter().zip(forms) {
        assert_eq!(row["note"], form);
        assert_eq!(row["minutes"], minutes.to_string(), "{form}");
    }
}

#[test]
fn log_refuses_bad_durations_naming_the_accepted_forms() {
    let l = ledger_with_history();
    let before = l.tree();
    for bad in ["-30m", "1h70x", "", "1:60", "2H", "1.5", "1,5h", " 90", "1:5", "9999999999", "\u{662}h", "1h60m"] {
        let o = l.run(&["log", "acme", "--", bad]);
        assert_code(&o, 2, &format!("duration {bad:?}"));
        let e = stderr(&o);
        for form in ["45m", "2h", "1h30m", "1:30", "1.5h"] {
            assert!(e.contains(form), "duration {bad:?}: stderr does not name {form}: {e}");
        }
        assert_same_tree(&before, &l.tree(), &format!("duration {bad:?}"));
    }
    // On a ledger without the month file nothing is created either.
    let fresh = Ledger::new();
    let before = fresh.tree();
    let o = fresh.run(&["log", "acme", "--", "1h70x"]);
    assert_code(&o, 2, "fresh ledger");
    assert_same_tree(&before, &fresh.tree(), "fresh ledger");
}

#[test]
fn log_refuses_decimal_hours_that_are_not_whole_minutes() {
    let l = Ledger::new();
    let before = l.tree();
    let o = l.run(&["log", "acme", "1.01h"]);
    assert_code(&o, 2, "1.01h");
    let e = stderr(&o);
    assert!(e.contains("1.01h") && e.contains("minutes"), "{e}");
    // It suggests a duration in an accepted form.
    assert!(e.contains("61m"), "{e}");
    assert_same_tree(&before, &l.tree(), "1.01h");
}

#[test]
fn log_refuses_a_zero_duration_naming_the_accepted_forms() {
    let l = Ledger::new();
    let before = l.tree();
    let o = l.run(&["log", "acme", "0"]);
    assert_code(&o, 2, "0");
    let e = stderr(&o);
    for form in ["45m", "2h", "1h30m", "1:30", "1.5h"] {
        assert!(e.contains(form), "stderr does not name {form}: {e}");
    }
    assert_same_tree(&before, &l.tree(), "0");
}

#[test]
fn log_refuses_zero_and_huge_durations() {
    let l = Ledger::new();
    let before = l.tree();
    for zero in ["0", "0m", "0h", "0:00", "0.0h", "99999999h", "99999999:00"] {
        let o = l.run(&["log", "acme", zero]);
        assert_code(&o, 2, zero);
        assert!(!stderr(&o).is_empty());
        assert_same_tree(&before, &l.tree(), zero);
    }
}

#[test]
fn log_date_today_yesterday_and_the_default() {
    let l = Ledger::new();
    for args in [&["--date", "today"][..], &["--date", "yesterday"], &[]] {
        let o = l.cmd().args(["log", "acme", "10", "-q"]).args(args).output().unwrap();
        assert_code(&o, 0, &format!("{args:?}"));
    }
    let dates: Vec<String> = read_maps(&l.read(NOV)).into_iter().map(|r| r["date"].clone()).collect();
    assert_eq!(dates, ["2026-11-27", "2026-11-26", "2026-11-27"]);

    // "yesterday" on the first of a month goes to the previous month's file.
    let o = l.cmd().env("SUPPORTCTL_TODAY", "2026-12-01").args(["log", "acme", "10", "--date", "yesterday"]).output();
    assert_code(&o.unwrap(), 0, "yesterday on 2026-12-01");
    let rows = read_maps(&l.read(NOV));
    assert_eq!(rows.last().unwrap()["date"], "2026-11-30");
    assert!(!l.file("timelog/2026-12.csv").exists());
}

#[test]
fn log_refuses_a_date_after_tomorrow_and_malformed_dates() {
    let l = ledger_with_history();
    // Tomorrow is fine (time zones, late evenings).
    let o = l.run(&["log", "acme", "10", "--date", "2026-11-28", "-q"]);
    assert_code(&o, 0, "tomorrow");
    let before = l.tree();
    for date in ["2026-11-29", "2026-12-01", "2062-11-02"] {
        let o = l.run(&["log", "acme", "10", "--date", date]);
        assert_code(&o, 2, date);
        let e = stderr(&o);
        assert!(e.contains("future") && e.contains(date), "{date}: {e}");
        assert_same_tree(&before, &l.tree(), date);
    }
    for date in ["2026-02-30", "2026-13-01", "26-11-01", "2026-1-5", "tomorrow", "27.11.2026"] {
        let o = l.run(&["log", "acme", "10", "--date", date]);
        assert_code(&o, 2, date);
        assert!(stderr(&o).contains("YYYY-MM-DD"), "{date}: {}", stderr(&o));
        assert_same_tree(&before, &l.tree(), date);
    }
}

#[test]
fn log_refuses_control_characters_in_notes_and_other_text() {
    let l = ledger_with_history();
    let before = l.tree();
    for note in ["line one\nline two", "tab\there", "cr\rhere", "bell\u{7}", "next\u{85}line"] {
        let o = l.run(&["log", "acme", "10", "--", note]);
        assert_code(&o, 2, &format!("note {note:?}"));
        assert!(stderr(&o).contains("control character"), "{note:?}: {}", stderr(&o));
        assert_same_tree(&before, &l.tree(), &format!("note {note:?}"));
    }
    // A control character in one of several note words, in --ticket and in --engineer.
    for args in [
        &["log", "acme", "10", "ok", "not\nok"][..],
        &["log", "acme", "10", "--ticket", "SD-1\n"],
        &["log", "acme", "10", "--engineer", "an\tna"],
    ] {
        let o = l.run(args);
        assert_code(&o, 2, &format!("{args:?}"));
        assert_same_tree(&before, &l.tree(), &format!("{args:?}"));
    }
}

#[test]
fn log_engineer_comes_from_flag_env_config_then_os_user() {
    let l = Ledger::new();
    let cfg = l.home().join(".config/supportctl/config.toml");
    fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    fs::write(&cfg, "engineer = \"carla\"\n").unwrap();
    let log = |engineer_env: Option<&str>, flag: Option<&str>| {
        let mut c = l.cmd();
        c.args(["log", "acme", "10", "-q"]);
        if let Some(e) = engineer_env {
            c.env("SUPPORTCTL_ENGINEER", e);
        }
        if let Some(f) = flag {
            c.args(["--engineer", f]);
        }
        assert_code(&c.output().unwrap(), 0, "log");
    };
    log(Some("eve"), Some("anna")); // the flag wins
    log(Some("eve"), None); // then the environment
    log(None, None); // then the user config
    fs::remove_file(&cfg).unwrap();
    log(None, None); // then the OS user
    let engineers: Vec<String> = read_maps(&l.read(NOV)).into_iter().map(|r| r["engineer"].clone()).collect();
    assert_eq!(engineers[..3], ["anna", "eve", "carla"]);
    assert!(!engineers[3].is_empty() && engineers[3] != "carla", "{engineers:?}");
}

// ------------------------------------------------- 2. refusals change nothing

#[test]
fn log_refuses_an_unknown_contract_suggesting_the_closest() {
    for l in [Ledger::new(), ledger_with_history()] {
        let before = l.tree();
        for (given, suggested) in [("acm", "acme"), ("ACME", "acme"), ("bta", "beta")] {
            let o = l.run(&["log", given, "30m", "--date", "2026-10-05", "a note"]);
            assert_code(&o, 1, given);
            let e = stderr(&o);
            assert!(e.contains(&format!("did you mean \"{suggested}\"?")), "{given}: {e}");
            assert!(e.contains("nothing was written"), "{given}: {e}");
            assert!(stdout(&o).is_empty(), "{given}: {}", stdout(&o));
            assert_same_tree(&before, &l.tree(), given);
        }
        let o = l.run(&["log", "zzzzzz", "30m"]);
        assert_code(&o, 1, "zzzzzz");
        assert!(stderr(&o).contains("unknown contract \"zzzzzz\""), "{}", stderr(&o));
        assert_same_tree(&before, &l.tree(), "zzzzzz");
    }
}

#[test]
fn log_refuses_dates_outside_the_contracts_active_months() {
    for l in [Ledger::new(), ledger_with_history()] {
        let before = l.tree();
        for (contract, date) in [("beta", "2026-11-02"), ("acme", "2025-12-31"), ("beta", "2025-12-01")] {
            let o = l.run(&["log", contract, "1h", "--date", date]);
            assert_code(&o, 1, &format!("{contract} {date}"));
            let e = stderr(&o);
            assert!(e.contains("not active") && e.contains(&date[..7]), "{contract} {date}: {e}");
            assert!(e.contains("nothing was written"), "{e}");
            assert_same_tree(&before, &l.tree(), &format!("{contract} {date}"));
        }
    }
    // The last active month of beta is fine.
    let l = Ledger::new();
    assert_code(&l.run(&["log", "beta", "1h", "--date", "2026-10-31", "-q"]), 0, "beta in 2026-10");
}

#[test]
fn log_refuses_invalid_level_channel_and_kind_listing_the_valid_values() {
    for l in [Ledger::new(), ledger_with_history()] {
        let before = l.tree();
        let cases: [(&str, &str, &[&str]); 5] = [
            ("--level", "1", &["2", "3"]),
            ("--level", "4", &["2", "3"]),
            ("--channel", "fax", &["desk", "email", "phone"]),
            ("--kind", "billable", &["support", "escalation", "nonbillable"]),
            ("--kind", "Support", &["support", "escalation", "nonbillable"]),
        ];
        for (flag, value, valid) in cases {
            let o = l.run(&["log", "acme", "30m", flag, value]);
            assert_code(&o, 2, &format!("{flag} {value}"));
            let e = stderr(&o);
            assert!(e.contains(value), "{e}");
            for v in valid {
                assert!(e.contains(v), "{flag} {value}: stderr does not list {v}: {e}");
            }
            assert_same_tree(&before, &l.tree(), &format!("{flag} {value}"));
        }
    }
}

// ---------------------------------------------------------------- 3. feedback

#[test]
fn log_prints_the_months_usage() {
    let l = Ledger::new();
    let o = l.run(&["log", "acme", "12h15m", "--date", "2026-11-02"]);
    assert_code(&o, 0, "log");
    let out = stdout(&o);
    assert!(out.contains("acme 2026-11: 12:15 of 16:00 used, 3:45 left"), "{out}");
    assert!(out.lines().count() <= 2, "{out}");
    // 76 %: no warning yet.
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // Entries of other contracts and months do not count.
    assert_code(&l.run(&["log", "beta", "5h", "--date", "2026-10-02", "-q"]), 0, "beta");
    assert_code(&l.run(&["log", "acme", "5h", "--date", "2026-10-02", "-q"]), 0, "acme october");
    let o = l.run(&["log", "acme", "15m", "--date", "2026-11-03", "--kind", "nonbillable"]);
    assert!(stdout(&o).contains("acme 2026-11: 12:15 of 16:00 used, 3:45 left"), "{}", stdout(&o));
}

#[test]
fn log_warns_from_80_percent_of_the_quota() {
    let l = Ledger::new();
    // 767 of 960 minutes is 79.9 %: no warning.
    let o = l.run(&["log", "acme", "767", "--date", "2026-11-02"]);
    assert_code(&o, 0, "767");
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // 768 is exactly 80 %.
    let o = l.run(&["log", "acme", "1", "--date", "2026-11-02"]);
    assert_code(&o, 0, "768");
    let e = stderr(&o);
    assert!(e.contains("warning") && e.contains("80 %") && e.contains("acme"), "{e}");
    assert!(stdout(&o).contains("12:48 of 16:00 used, 3:12 left"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("warning"), "warnings go to stderr: {}", stdout(&o));
}

#[test]
fn log_warns_when_the_quota_is_exactly_used_up() {
    let l = Ledger::new();
    let o = l.run(&["log", "acme", "16h", "--date", "2026-11-02"]);
    assert_code(&o, 0, "16h");
    assert!(stdout(&o).contains("acme 2026-11: 16:00 of 16:00 used, 0:00 left"), "{}", stdout(&o));
    let e = stderr(&o);
    assert!(e.contains("warning") && e.contains("used up"), "{e}");
    // No overage yet: nothing to approve.
    assert!(!e.contains("supportctl approve"), "{e}");
}

#[test]
fn log_warns_about_overage_beyond_the_approvals_with_the_approve_command() {
    let l = Ledger::new();
    assert_code(&l.run(&["log", "acme", "16h", "--date", "2026-11-02", "-q"]), 0, "16h");
    let o = l.run(&["log", "acme", "1h30m", "--date", "2026-11-03"]);
    assert_code(&o, 0, "overage");
    assert!(stdout(&o).contains("acme 2026-11: 17:30 of 16:00 used, 1:30 over"), "{}", stdout(&o));
    let e = stderr(&o);
    assert!(e.contains("warning") && e.contains("1:30"), "{e}");
    assert!(e.contains("supportctl approve acme 1:30 --month 2026-11 --ref"), "{e}");

    // Approve 1:00 of it: 0:30 remains unapproved.
    assert_code(&l.run(&["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9", "-q"]), 0, "approve");
    let o = l.run(&["log", "acme", "1", "--date", "2026-11-03"]);
    let e = stderr(&o);
    assert!(e.contains("0:31") && e.contains("supportctl approve acme 0:31 --month 2026-11"), "{e}");

    // Approve the rest: the overage is covered, no approval is asked for.
    assert_code(&l.run(&["approve", "acme", "31", "--month", "2026-11", "--ref", "SD-10", "-q"]), 0, "approve");
    let o = l.run(&["log", "acme", "15m", "--date", "2026-11-03", "--kind", "nonbillable"]);
    assert_code(&o, 0, "covered");
    assert!(!stderr(&o).contains("supportctl approve"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not approved"), "{}", stderr(&o));
}

#[test]
fn log_quiet_prints_nothing_even_with_warnings() {
    let l = Ledger::new();
    for (duration, flag) in [("15h", "--quiet"), ("2h", "-q")] {
        let o = l.run(&["log", "acme", duration, "--date", "2026-11-02", flag]);
        assert_code(&o, 0, flag);
        assert!(o.stdout.is_empty(), "{flag}: stdout {:?}", stdout(&o));
        assert!(o.stderr.is_empty(), "{flag}: stderr {:?}", stderr(&o));
    }
    assert_eq!(read_maps(&l.read(NOV)).len(), 2);
    // --quiet does not silence errors.
    let o = l.run(&["log", "acm", "1h", "-q"]);
    assert_code(&o, 1, "unknown");
    assert!(!o.stderr.is_empty());
}

// ----------------------------------------------------------------- 4. approve

#[test]
fn approve_creates_approvals_csv_and_appends_then_report_shows_it() {
    let l = Ledger::new();
    assert_code(&l.run(&["log", "acme", "17h30m", "--date", "2026-11-02", "-q"]), 0, "log");
    let o = l.run(&["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"]);
    assert_code(&o, 0, "approve");
    assert!(stdout(&o).contains("1:00") && stdout(&o).contains("SD-9"), "{}", stdout(&o));
    let text = l.text("approvals.csv");
    assert!(text.starts_with(&format!("{APPROVALS_HEADER}\n")), "{text}");
    let rows = read_maps(text.as_bytes());
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r["date"].as_str(), r["contract"].as_str(), r["month"].as_str(), r["minutes"].as_str()),
        (TODAY, "acme", "2026-11", "60")
    );
    assert_eq!((r["reference"].as_str(), r["note"].as_str()), ("SD-9", ""));
    assert!(is_ulid(&r["id"]), "{}", r["id"]);

    // A second approval appends (the first bytes stay), with --date and --note.
    let before = l.read("approvals.csv");
    let o = l.run(&[
        "approve",
        "acme",
        "15m",
        "--month",
        "2026-11",
        "--ref",
        "mail 2026-11-20",
        "--date",
        "2026-11-20",
        "--note",
        "agreed, by \"phone\"",
        "-q",
    ]);
    assert_code(&o, 0, "second approve");
    let after = l.read("approvals.csv");
    assert!(after.starts_with(&before));
    let rows = read_maps(&after);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["date"], "2026-11-20");
    assert_eq!(rows[1]["minutes"], "15");
    assert_eq!(rows[1]["note"], "agreed, by \"phone\"");
    assert_ne!(rows[0]["id"], rows[1]["id"]);
    l.check_ok();

    let o = l.run(&["report", "--month", "2026-11", "--format", "json"]);
    assert_code(&o, 0, "report");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let acme = json["contracts"].as_array().unwrap().iter().find(|c| c["contract"] == "acme").unwrap();
    assert_eq!(acme["overage_minutes"], 90);
    assert_eq!(acme["approved_minutes"], 75);
    assert_eq!(acme["approved_overage_minutes"], 75);
    assert_eq!(acme["unapproved_overage_minutes"], 15);
    assert_eq!(acme["overage_amount"], "125.00");
    assert_eq!(acme["net"], "1725.00");
}

#[test]
fn approve_appends_to_an_existing_approvals_file() {
    let l = ledger_with_history();
    let before = l.read("approvals.csv");
    assert_code(&l.run(&["approve", "acme", "30m", "--month", "2026-11", "--ref", "SD-1", "-q"]), 0, "approve");
    let after = l.read("approvals.csv");
    assert!(after.starts_with(&before));
    assert_eq!(read_maps(&after).len(), 1);
}

#[test]
fn approve_refusals_change_nothing() {
    for l in [Ledger::new(), ledger_with_history()] {
        let before = l.tree();
        let cases: [(&[&str], i32, &str); 9] = [
            (&["approve", "acme", "1h", "--month", "2026-11"], 2, "--ref"),
            (&["approve", "acme", "1h", "--month", "2026-11", "--ref", ""], 2, "empty"),
            (&["approve", "acme", "1h", "--month", "2026-11", "--ref", "a\nb"], 2, "control character"),
            (&["approve", "acme", "1h", "--ref", "SD-1"], 2, "--month"),
            (&["approve", "acme", "1h70x", "--month", "2026-11", "--ref", "SD-1"], 2, "1h30m"),
            (&["approve", "acme", "1h", "--month", "2026-13", "--ref", "SD-1"], 2, "YYYY-MM"),
            (&["approve", "acm", "1h", "--month", "2026-11", "--ref", "SD-1"], 1, "did you mean \"acme\"?"),
            (&["approve", "beta", "1h", "--month", "2026-11", "--ref", "SD-1"], 1, "not active"),
            (&["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-1", "--date", "2026-12-24"], 2, "future"),
        ];
        for (args, code, needle) in cases {
            let o = l.run(args);
            assert_code(&o, code, &format!("{args:?}"));
            assert!(stderr(&o).contains(needle), "{args:?}: stderr lacks {needle:?}: {}", stderr(&o));
            assert_same_tree(&before, &l.tree(), &format!("{args:?}"));
        }
    }
}

// ------------------------------------------------------------------ 5. status

/// October: acme (16h) at 15:00 (94 %), beta (20h) at 21:00 with 0:30 approved.
fn october_ledger() -> Ledger {
    let l = Ledger::new();
    assert_code(&l.run(&["log", "acme", "15h", "--date", "2026-10-05", "-q"]), 0, "acme");
    assert_code(&l.run(&["log", "beta", "21h", "--date", "2026-10-06", "-q"]), 0, "beta");
    assert_code(&l.run(&["approve", "beta", "30m", "--month", "2026-10", "--ref", "SD-7", "-q"]), 0, "approve");
    l
}

#[test]
fn status_shows_bars_usage_and_the_most_urgent_first() {
    let l = october_ledger();
    let o = l.run(&["status", "--month", "2026-10"]);
    assert_code(&o, 0, "status");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("acme") || l.starts_with("beta")).collect();
    assert_eq!(lines.len(), 2, "{out}");
    // beta has unapproved overage: it comes first, although acme sorts first by name.
    let (beta, acme) = (lines[0], lines[1]);
    assert!(beta.starts_with("beta"), "{out}");
    assert!(beta.contains("██████████") && beta.contains("105 %"), "{beta}");
    assert!(beta.contains("21:00") && beta.contains("20:00"), "{beta}");
    assert!(beta.contains("0:30 approved") && beta.contains("0:30 unapproved"), "{beta}");
    assert!(acme.contains('█') && acme.contains("93 %"), "{acme}");
    assert!(acme.contains("15:00") && acme.contains("16:00") && acme.contains("1:00 left"), "{acme}");
    assert!(!acme.contains("unapproved"), "{acme}");
    assert!(!out.contains('\x1b'), "ANSI escapes when stdout is not a terminal: {out:?}");

    // Only active contracts: in November beta has ended.
    let o = l.run(&["status", "--month", "2026-11"]);
    assert_code(&o, 0, "november");
    let out = stdout(&o);
    assert!(out.contains("acme") && out.contains("░░░░░░░░░░") && out.contains("0 %"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("beta")), "{out}");
}

#[test]
fn status_sorts_unapproved_overage_before_a_fuller_contract() {
    // acme: 100 % used up, no overage; beta: 20:01 of 20:00, 0:01 unapproved.
    let l = Ledger::new();
    assert_code(&l.run(&["log", "acme", "16h", "--date", "2026-10-05", "-q"]), 0, "acme");
    assert_code(&l.run(&["log", "beta", "1201", "--date", "2026-10-06", "-q"]), 0, "beta");
    let out = stdout(&l.run(&["status", "--month", "2026-10"]));
    let first = out.lines().find(|l| l.starts_with("acme") || l.starts_with("beta")).unwrap();
    assert!(first.starts_with("beta"), "{out}");
}

#[test]
fn status_has_no_colour_without_a_terminal_or_with_no_color() {
    let l = october_ledger();
    for no_color in [None, Some("1")] {
        let mut c = l.cmd();
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        c.args(["status", "--month", "2026-10"])
            .assert()
            .success()
            .stdout(predicate::str::contains("%").and(predicate::str::contains("\x1b").not()));
    }
}

#[test]
fn status_colours_only_on_a_terminal_without_no_color() {
    // `script` (util-linux) gives the command a pseudo-terminal as stdout.
    if StdCommand::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, no pseudo-terminal to test with");
        return;
    }
    let l = october_ledger();
    let line = format!("'{}' --ledger '{}' status --month 2026-10", bin(), l.path().display());
    let on_tty = |no_color: Option<&str>| {
        let mut c = StdCommand::new("script");
        l.isolate_env(&mut c);
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let o = c.args(["-qec", &line, "/dev/null"]).stdin(Stdio::null()).output().unwrap();
        assert_code(&o, 0, "status on a terminal");
        stdout(&o)
    };
    let coloured = on_tty(None);
    assert!(coloured.contains("\x1b["), "colours on a terminal: {coloured:?}");
    assert!(coloured.contains("105 %"), "{coloured:?}");
    // An empty NO_COLOR does not count (no-color.org); a set one does.
    assert!(on_tty(Some("")).contains("\x1b["));
    let plain = on_tty(Some("1"));
    assert!(plain.contains("105 %") && !plain.contains('\x1b'), "NO_COLOR: {plain:?}");
}

// ------------------------------------------------------------- 6. safe appends

#[test]
fn concurrent_logs_each_write_one_whole_row_and_one_header() {
    const N: usize = 32;
    let l = Ledger::new();
    // Neither the month file nor its folder exists yet.
    fs::remove_dir(l.file("timelog")).unwrap();
    let children: Vec<_> = (0..N)
        .map(|i| {
            l.std_cmd()
                .args(["log", "acme", &format!("{}m", i + 1), "--date", "2026-11-20", "--engineer"])
                .arg(format!("eng{i}"))
                .args(["--ticket", &format!("SD-{i}"), "--", &format!("note {i}, \"concurrent\"")])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let o = child.wait_with_output().unwrap();
        assert_code(&o, 0, &format!("process {i}"));
    }

    let bytes = l.read(NOV);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.ends_with('\n'));
    assert_eq!(text.lines().count(), N + 1, "{text}");
    assert_eq!(text.lines().filter(|l| *l == TIMELOG_HEADER).count(), 1, "{text}");
    assert!(text.starts_with(TIMELOG_HEADER));
    let (header, rows) = read_csv(&bytes);
    assert_eq!(header.len(), 10);
    assert_eq!(rows.len(), N);
    let mut seen = HashSet::new();
    let mut ids = HashSet::new();
    for r in &rows {
        assert_eq!(r.len(), 10, "{r:?}");
        let i: usize = r[7].strip_prefix("eng").unwrap().parse().unwrap();
        assert_eq!(r[2], (i + 1).to_string(), "{r:?}");
        assert_eq!(r[3], format!("SD-{i}"));
        assert_eq!(r[8], format!("note {i}, \"concurrent\""));
        assert!(is_ulid(&r[9]), "{r:?}");
        assert!(seen.insert(i), "entry {i} twice");
        assert!(ids.insert(r[9].clone()), "id {} twice", r[9]);
    }
    assert_eq!(seen.len(), N);
    l.check_ok();
    let report = l.run(&["report", "--month", "2026-11", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(json["contracts"][0]["used_minutes"], (1..=N as u64).sum::<u64>());
}

#[test]
fn concurrent_logs_with_failing_writes_lose_nothing_and_leave_no_partial_line() {
    // Every third process fails in the middle of its write (or its sync); the
    // others must all land, whole, after exactly one header.
    const N: usize = 24;
    let l = Ledger::new();
    let children: Vec<_> = (0..N)
        .map(|i| {
            let mut c = l.std_cmd();
            match i % 6 {
                0 => c.env("SUPPORTCTL_FAILPOINT", "write"),
                3 => c.env("SUPPORTCTL_FAILPOINT", "sync"),
                _ => &mut c,
            };
            c.args(["log", "acme", "10", "--date", "2026-11-20", "-q", "--"])
                .arg(format!("entry {i}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = HashSet::new();
    for (i, child) in children.into_iter().enumerate() {
        let o = child.wait_with_output().unwrap();
        if i % 3 == 0 {
            assert_code(&o, 1, &format!("failing process {i}"));
            assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
        } else {
            assert_code(&o, 0, &format!("process {i}"));
            ok.insert(format!("entry {i}"));
        }
    }
    let text = l.text(NOV);
    assert!(text.starts_with(&format!("{TIMELOG_HEADER}\n")) && text.ends_with('\n'), "{text}");
    assert_eq!(text.lines().count(), ok.len() + 1, "{text}");
    let notes: HashSet<String> = read_maps(text.as_bytes()).into_iter().map(|r| r["note"].clone()).collect();
    assert_eq!(notes, ok);
    l.check_ok();
}

#[test]
fn concurrent_approvals_each_write_one_whole_row_and_one_header() {
    const N: usize = 16;
    let l = Ledger::new();
    let children: Vec<_> = (0..N)
        .map(|i| {
            l.std_cmd()
                .args(["approve", "acme", &format!("{}", i + 1), "--month", "2026-11", "--ref"])
                .arg(format!("SD-{i}"))
                .args(["--note", "agreed, \"by phone\"", "-q"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        assert_code(&child.wait_with_output().unwrap(), 0, &format!("process {i}"));
    }
    let text = l.text("approvals.csv");
    assert_eq!(text.lines().count(), N + 1, "{text}");
    assert_eq!(text.lines().filter(|l| *l == APPROVALS_HEADER).count(), 1, "{text}");
    let rows = read_maps(text.as_bytes());
    let refs: HashSet<&str> = rows.iter().map(|r| r["reference"].as_str()).collect();
    let ids: HashSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!((refs.len(), ids.len()), (N, N));
    assert!(rows.iter().all(|r| r["note"] == "agreed, \"by phone\"" && is_ulid(&r["id"])));
    l.check_ok();
}

#[test]
fn log_completes_a_last_line_without_its_newline() {
    let l = Ledger::new();
    let old = format!("{TIMELOG_HEADER}\n2026-11-02,acme,30,,,,,anna,hand edit,{SOME_ID}");
    l.write(NOV, &old);
    let o = l.run(&["log", "acme", "10", "--engineer", "bob", "--date", "2026-11-03", "new"]);
    assert_code(&o, 0, "log");
    let text = l.text(NOV);
    assert!(text.starts_with(&format!("{old}\n2026-11-03,acme,10,,,,,bob,new,")), "{text}");
    assert!(text.ends_with('\n'));
    assert_eq!(text.lines().count(), 3);
    let rows = read_maps(text.as_bytes());
    assert_eq!(rows[0]["note"], "hand edit");
    assert_eq!(rows[1]["note"], "new");
    l.check_ok();
}

#[test]
fn log_refuses_to_append_after_a_torn_row() {
    let l = Ledger::new();
    // A crash cut the third line in the middle of its id.
    let torn =
        format!("{TIMELOG_HEADER}\n2026-11-02,acme,30,,,,,anna,x,{SOME_ID}\n2026-11-03,acme,45,,,,,anna,y,01KB2Z7Q8W3");
    l.write(NOV, &torn);
    let before = l.tree();
    let o = l.run(&["log", "acme", "10", "--date", "2026-11-04"]);
    assert_code(&o, 1, "torn");
    let e = stderr(&o);
    assert!(e.contains("timelog/2026-11.csv:3"), "names file and line: {e}");
    assert!(e.contains("nothing was written"), "{e}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert_same_tree(&before, &l.tree(), "torn");
    // check reports it too.
    let o = l.run(&["check"]);
    assert_code(&o, 1, "check");
    assert!(stderr(&o).contains("2026-11.csv:3") || stdout(&o).contains("2026-11.csv:3"));
}

#[test]
fn log_refuses_to_append_after_rows_torn_elsewhere_in_the_line() {
    for tail in ["2026-11-03,ac", "2026-11-03,acme,45,,,,,anna,\"unterminated", "2026-11-03"] {
        let l = Ledger::new();
        l.write(NOV, format!("{TIMELOG_HEADER}\n2026-11-02,acme,30,,,,,anna,x,{SOME_ID}\n{tail}"));
        let before = l.tree();
        let o = l.run(&["log", "acme", "10", "--date", "2026-11-04"]);
        assert_code(&o, 1, tail);
        assert!(stderr(&o).contains(":3"), "{tail}: {}", stderr(&o));
        assert_same_tree(&before, &l.tree(), tail);
    }
}

#[test]
fn log_follows_a_hand_made_header_without_id() {
    let l = Ledger::new();
    let old = "minutes,engineer,date,contract,note,ticket\n30,anna,2026-11-02,acme,x,SD-1\n";
    l.write(NOV, old);
    let o = l.run(&["log", "acme", "10", "--engineer", "bob", "--ticket", "SD-2", "--date", "2026-11-03", "a, b"]);
    assert_code(&o, 0, "log");
    let text = l.text(NOV);
    assert_eq!(text, format!("{old}10,bob,2026-11-03,acme,\"a, b\",SD-2\n"));
    let (header, rows) = read_csv(text.as_bytes());
    assert!(!header.contains(&"id".to_string()));
    assert_eq!(rows[1].len(), 6);
    assert!(stderr(&o).contains("no id"), "tells that the row has no id: {}", stderr(&o));
    l.check_ok();
}

#[test]
fn log_keeps_crlf_line_endings() {
    let l = Ledger::new();
    let old = format!("{TIMELOG_HEADER}\r\n2026-11-02,acme,30,,,,,anna,x,{SOME_ID}\r\n");
    l.write(NOV, &old);
    assert_code(&l.run(&["log", "acme", "10", "--engineer", "bob", "--date", "2026-11-03", "-q", "y"]), 0, "log");
    let text = l.text(NOV);
    assert!(text.starts_with(&old));
    let new = &text[old.len()..];
    assert!(new.starts_with("2026-11-03,acme,10,,,,,bob,y,") && new.ends_with("\r\n"), "{new:?}");
    assert_eq!(new.matches('\n').count(), 1, "{new:?}");
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF: {text:?}");
    l.check_ok();

    // A CRLF file whose last line lacks its line break gets a CRLF.
    let l = Ledger::new();
    let old = format!("{TIMELOG_HEADER}\r\n2026-11-02,acme,30,,,,,anna,x,{SOME_ID}");
    l.write(NOV, &old);
    assert_code(&l.run(&["log", "acme", "10", "--date", "2026-11-03", "-q"]), 0, "log");
    let text = l.text(NOV);
    assert!(text.starts_with(&format!("{old}\r\n2026-11-03,acme,10,")), "{text:?}");
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "{text:?}");
    l.check_ok();
}

#[test]
fn log_appends_to_a_file_with_a_byte_order_mark() {
    let l = Ledger::new();
    let old = format!("\u{feff}{TIMELOG_HEADER}\n2026-11-02,acme,30,,,,,anna,x,{SOME_ID}\n");
    l.write(NOV, &old);
    assert_code(&l.run(&["log", "acme", "10", "--date", "2026-11-03", "-q", "y"]), 0, "log");
    let text = l.text(NOV);
    assert!(text.starts_with(&old));
    assert_eq!(read_maps(text.as_bytes())[1]["note"], "y");
    l.check_ok();
}

#[test]
fn failed_writes_leave_an_existing_file_byte_identical() {
    for failpoint in ["write", "sync"] {
        let l = ledger_with_history();
        l.write("approvals.csv", format!("{APPROVALS_HEADER}\n2026-11-20,acme,2026-11,30,SD-1,,{SOME_ID}\n"));
        let before = l.tree();
        let o = l.cmd().env("SUPPORTCTL_FAILPOINT", failpoint).args(["log", "acme", "10", "a note"]).output().unwrap();
        assert_code(&o, 1, failpoint);
        assert!(stderr(&o).contains("nothing was written"), "{failpoint}: {}", stderr(&o));
        assert!(!stdout(&o).contains("logged"), "{failpoint}: {}", stdout(&o));
        assert_same_tree(&before, &l.tree(), failpoint);

        let o = l
            .cmd()
            .env("SUPPORTCTL_FAILPOINT", failpoint)
            .args(["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"])
            .output()
            .unwrap();
        assert_code(&o, 1, failpoint);
        assert!(stderr(&o).contains("nothing was written"), "{failpoint}: {}", stderr(&o));
        assert_same_tree(&before, &l.tree(), failpoint);
        l.check_ok();
        // The next write works normally.
        assert_code(&l.run(&["log", "acme", "10", "-q"]), 0, "after");
        assert_eq!(read_maps(&l.read(NOV)).len(), 2);
    }
}

#[test]
fn failed_writes_to_a_new_file_leave_no_partial_line() {
    for failpoint in ["write", "sync"] {
        let l = Ledger::new();
        let o = l.cmd().env("SUPPORTCTL_FAILPOINT", failpoint).args(["log", "acme", "10"]).output().unwrap();
        assert_code(&o, 1, failpoint);
        assert!(stderr(&o).contains("nothing was written"), "{failpoint}: {}", stderr(&o));
        let left = fs::read(l.file(NOV)).unwrap_or_default();
        assert!(left.is_empty(), "{failpoint}: partial content left: {:?}", String::from_utf8_lossy(&left));
        let o = l
            .cmd()
            .env("SUPPORTCTL_FAILPOINT", failpoint)
            .args(["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"])
            .output()
            .unwrap();
        assert_code(&o, 1, failpoint);
        let left = fs::read(l.file("approvals.csv")).unwrap_or_default();
        assert!(left.is_empty(), "{failpoint}: partial content left: {:?}", String::from_utf8_lossy(&left));
        // A later log writes the header and its row as usual.
        assert_code(&l.run(&["log", "acme", "10", "-q"]), 0, "after");
        let text = l.text(NOV);
        assert!(text.starts_with(&format!("{TIMELOG_HEADER}\n")), "{text}");
        assert_eq!(text.lines().count(), 2);
    }
}

#[test]
fn failed_writes_to_a_new_file_create_no_file() {
    for failpoint in ["write", "sync"] {
        let l = Ledger::new();
        let before = l.tree();
        let o = l.cmd().env("SUPPORTCTL_FAILPOINT", failpoint).args(["log", "acme", "10"]).output().unwrap();
        assert_code(&o, 1, failpoint);
        let o = l
            .cmd()
            .env("SUPPORTCTL_FAILPOINT", failpoint)
            .args(["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"])
            .output()
            .unwrap();
        assert_code(&o, 1, failpoint);
        assert_same_tree(&before, &l.tree(), failpoint);
    }
}

#[test]
fn a_lock_held_by_another_process_ends_in_a_clear_message() {
    let l = ledger_with_history();
    let before = l.tree();
    let held = fs::OpenOptions::new().read(true).append(true).open(l.file(NOV)).unwrap();
    held.lock().unwrap();
    let o = l.cmd().env("SUPPORTCTL_LOCK_WAIT_MS", "300").args(["log", "acme", "10", "blocked"]).output().unwrap();
    assert_code(&o, 1, "locked");
    let e = stderr(&o);
    assert!(e.contains("timelog/2026-11.csv") && e.contains("locked"), "{e}");
    assert!(e.contains("nothing was written"), "{e}");
    assert!(!stdout(&o).contains("logged"), "{}", stdout(&o));
    assert_same_tree(&before, &l.tree(), "locked");
    // The same for approvals.csv.
    let held_approvals = fs::OpenOptions::new().read(true).append(true).open(l.file("approvals.csv")).unwrap();
    held_approvals.lock().unwrap();
    let o = l
        .cmd()
        .env("SUPPORTCTL_LOCK_WAIT_MS", "300")
        .args(["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"])
        .output()
        .unwrap();
    assert_code(&o, 1, "approvals locked");
    assert!(stderr(&o).contains("approvals.csv") && stderr(&o).contains("locked"), "{}", stderr(&o));
    assert_same_tree(&before, &l.tree(), "approvals locked");

    // Released, the write goes through.
    held.unlock().unwrap();
    drop(held_approvals);
    let o = l.cmd().env("SUPPORTCTL_LOCK_WAIT_MS", "300").args(["log", "acme", "10", "-q", "free"]).output().unwrap();
    assert_code(&o, 0, "unlocked");
    assert_eq!(read_maps(&l.read(NOV)).last().unwrap()["note"], "free");
}

#[test]
fn a_lock_released_while_waiting_lets_the_write_through() {
    let l = ledger_with_history();
    let held = fs::OpenOptions::new().read(true).append(true).open(l.file(NOV)).unwrap();
    held.lock().unwrap();
    let child = l
        .std_cmd()
        .env("SUPPORTCTL_LOCK_WAIT_MS", "20000")
        .args(["log", "acme", "10", "-q", "waited"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    held.unlock().unwrap();
    let o = child.wait_with_output().unwrap();
    assert_code(&o, 0, "waited");
    assert_eq!(read_maps(&l.read(NOV)).last().unwrap()["note"], "waited");
    l.check_ok();
}

fn is_root() -> bool {
    StdCommand::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn an_unwritable_ledger_ends_in_a_clear_error() {
    if is_root() {
        // Permission bits do not stop root: make the targets unwritable otherwise.
        let l = Ledger::new();
        fs::create_dir(l.file(NOV)).unwrap();
        fs::create_dir(l.file("approvals.csv")).unwrap();
        let before = l.tree();
        let o = l.run(&["log", "acme", "10"]);
        assert_code(&o, 1, "month file is a folder");
        let e = stderr(&o);
        assert!(e.contains("timelog/2026-11.csv") && e.contains("nothing was written"), "{e}");
        let o = l.run(&["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"]);
        assert_code(&o, 1, "approvals.csv is a folder");
        assert!(stderr(&o).contains("approvals.csv"), "{}", stderr(&o));
        assert_same_tree(&before, &l.tree(), "folders");

        // timelog is a file, so the month file's folder cannot be created.
        let l = Ledger::new();
        fs::remove_dir(l.file("timelog")).unwrap();
        l.write("timelog", "not a folder\n");
        let before = l.tree();
        let o = l.run(&["log", "acme", "10"]);
        assert_code(&o, 1, "timelog is a file");
        let e = stderr(&o);
        assert!(e.contains("timelog") && e.contains("nothing was written"), "{e}");
        assert_same_tree(&before, &l.tree(), "timelog is a file");
    } else {
        use std::os::unix::fs::PermissionsExt;
        let l = ledger_with_history();
        let set = |rel: &str, mode: u32| fs::set_permissions(l.file(rel), fs::Permissions::from_mode(mode)).unwrap();
        set(NOV, 0o444);
        set("timelog", 0o555);
        let before = l.tree();
        let o = l.run(&["log", "acme", "10"]);
        let o2 = l.run(&["log", "acme", "10", "--date", "2026-10-02"]);
        set("timelog", 0o755);
        set(NOV, 0o644);
        assert_code(&o, 1, "read-only file");
        assert!(stderr(&o).contains("timelog/2026-11.csv") && stderr(&o).contains("nothing was written"));
        assert_code(&o2, 1, "read-only folder");
        assert!(stderr(&o2).contains("2026-10.csv"), "{}", stderr(&o2));
        assert_same_tree(&before, &l.tree(), "read-only");
    }
}

#[test]
fn log_accepts_a_note_at_the_field_size_limit() {
    // 10,000 bytes (5,000 two-byte characters) is the most a field may hold.
    let l = Ledger::new();
    let note = "ü".repeat(5_000);
    assert_code(&l.run(&["log", "acme", "10", "-q", &note]), 0, "10,000 bytes");
    assert_eq!(read_maps(&l.read(NOV))[0]["note"], note);
    l.check_ok();
}

#[test]
fn recording_commands_never_write_a_row_that_check_rejects() {
    let long = "x".repeat(10_001);
    let cases: [&[&str]; 5] = [
        &["log", "acme", "10", &long],
        &["log", "acme", "10", "--ticket", &long],
        &["log", "acme", "10", "--engineer", &long],
        &["approve", "acme", "1h", "--month", "2026-11", "--ref", &long],
        &["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-1", "--note", &long],
    ];
    for args in cases {
        let l = Ledger::new();
        let before = l.tree();
        let o = l.run(args);
        let what = format!("{} {} … ({} bytes)", args[0], args[1], long.len());
        if o.status.success() {
            let check = l.run(&["check"]);
            assert_code(&check, 0, &format!("check after a successful {what}: {}", stderr(&check)));
        } else {
            assert_same_tree(&before, &l.tree(), &what);
        }
    }
}

// ------------------------------------------------- 7. append-only, round-trip

fn note_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("  leading spaces".to_string()),
        Just("trailing spaces  ".to_string()),
        Just("a, b, \"c\"".to_string()),
        Just("\"".to_string()),
        Just("Ümlaut – 日本語 🎉".to_string()),
        Just("+49 30 123".to_string()),
        Just("-starts with a dash".to_string()),
        Just(String::new()),
        "\\PC{0,30}",
        "[ ,\"a-z=+@-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Invariants 14 and 15: files only grow at their end, and notes come back as written.
    #[test]
    fn logs_only_append_and_notes_round_trip(
        entries in proptest::collection::vec((note_strategy(), prop_oneof![Just("2026-10"), Just("2026-11")], 1u32..28), 1..4)
    ) {
        let l = Ledger::new();
        let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (note, month, day) in &entries {
            let before = l.tree();
            let date = format!("{month}-{day:02}");
            let o = l.run(&["log", "acme", "25m", "--date", &date, "-q", "--", note]);
            prop_assert_eq!(o.status.code(), Some(0), "note {:?}: {}", note, stderr(&o));
            let after = l.tree();
            for (path, old) in &before {
                let new = after.get(path);
                prop_assert!(new.is_some(), "{} was removed", path.display());
                if let (Some(old), Some(Some(new))) = (old, new) {
                    prop_assert!(new.starts_with(old), "{} was rewritten, not appended to", path.display());
                }
            }
            expected.entry(format!("timelog/{month}.csv")).or_default().push(note.clone());
        }
        for (file, notes) in &expected {
            let got: Vec<String> = read_maps(&l.read(file)).into_iter().map(|r| r["note"].clone()).collect();
            prop_assert_eq!(&got, notes, "{}", file);
        }
        let o = l.run(&["check"]);
        prop_assert_eq!(o.status.code(), Some(0), "check: {}{}", stdout(&o), stderr(&o));
    }
}

// ------------------------------------------------------ 8. shell integration

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = StdCommand::new(bin()).args(["completions", shell]).output().unwrap();
        assert_code(&o, 0, shell);
        let out = stdout(&o);
        assert!(!out.trim().is_empty(), "{shell}: empty");
        assert!(out.contains("supportctl"), "{shell}: {out}");
        assert!(out.contains("approve") && out.contains("status"), "{shell}: subcommands missing");
    }
    let o = StdCommand::new(bin()).args(["completions", "tcsh"]).output().unwrap();
    assert_code(&o, 2, "unknown shell");
}

#[test]
fn man_page_is_roff() {
    let o = StdCommand::new(bin()).arg("man").output().unwrap();
    assert_code(&o, 0, "man");
    let out = stdout(&o);
    assert!(out.contains(".TH"), "{out}");
    assert!(out.to_lowercase().contains("supportctl"), "{out}");
    assert!(out.contains("log") && out.contains("approve"), "{out}");
}

#[test]
fn log_refuses_an_entry_over_24_hours_but_approve_takes_it() {
    let l = Ledger::new();
    let before = l.tree();
    let o = l.run(&["log", "acme", "25h"]);
    assert_code(&o, 2, "25h");
    assert!(stderr(&o).contains("more than 24 hours"), "{}", stderr(&o));
    assert_same_tree(&before, &l.tree(), "25h");
    assert_code(&l.run(&["log", "acme", "24h", "-q"]), 0, "24h is the limit");
    let o = l.run(&["approve", "acme", "30h", "--month", "2026-11", "--ref", "SD-1", "-q"]);
    assert_code(&o, 0, "an approval may be larger");
}

#[test]
fn log_leaves_out_the_default_engineer_where_a_hand_made_file_has_no_such_column() {
    let l = Ledger::new();
    l.write(NOV, "date,contract,minutes,note\n");
    let o = l.run(&["log", "acme", "30m", "printer"]);
    assert_code(&o, 0, "default engineer dropped");
    assert_eq!(l.text(NOV), "date,contract,minutes,note\n2026-11-27,acme,30,printer\n");
    // An engineer given on purpose is never dropped.
    let before = l.tree();
    let o = l.run(&["log", "acme", "30m", "--engineer", "anna"]);
    assert_code(&o, 1, "explicit engineer");
    assert!(stderr(&o).contains("has no column \"engineer\""), "{}", stderr(&o));
    assert_same_tree(&before, &l.tree(), "explicit engineer");
}

#[test]
fn a_lock_wait_below_a_second_is_not_shown_as_zero_seconds() {
    let l = Ledger::new();
    l.write(NOV, format!("{TIMELOG_HEADER}\n"));
    let f = fs::OpenOptions::new().read(true).append(true).open(l.file(NOV)).unwrap();
    f.lock().unwrap();
    let o = l.cmd().env("SUPPORTCTL_LOCK_WAIT_MS", "300").args(["log", "acme", "10"]).output().unwrap();
    f.unlock().unwrap();
    assert_code(&o, 1, "locked");
    assert!(stderr(&o).contains("waited 0.3 s"), "{}", stderr(&o));
}
