//! The ledger as a folder (SPEC §2, §5): discovery, `init`, `contracts` and
//! `check` on the demo ledger, and `examples/month-end.sh`.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;

const DEMO_OK: &str =
    "ok: 6 contracts, 212 time-log rows, 7 approvals, 23 ticket events, 2 corrections, 3 closed months, 18 invoices\n";

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

// ---------------------------------------------------------------------------
// Discovery

#[test]
fn ledger_flag() {
    run_on(&demo(), &["check"]).success().stdout(DEMO_OK).stderr(predicate::str::is_empty());
}

#[test]
fn ledger_flag_relative_to_the_current_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(root, &["--ledger", "examples/demo", "check"]).success().stdout(DEMO_OK);
}

#[test]
fn environment_variable() {
    let elsewhere = tempfile::tempdir().unwrap();
    run_with(elsewhere.path(), &["check"], |cmd, _| {
        cmd.env("SUPPORTCTL_LEDGER", demo());
    })
    .success()
    .stdout(DEMO_OK);
}

#[test]
fn upward_search_from_a_subfolder() {
    let l = demo_copy();
    let deep = l.path().join("timelog/notes/2026");
    fs::create_dir_all(&deep).unwrap();
    run(&deep, &["check"]).success().stdout(DEMO_OK);
    run(&l.path().join("contracts"), &["report", "--month", "2026-10", "--format", "csv"]).success();
}

#[test]
fn flag_wins_over_environment_and_environment_over_current_folder() {
    let small = small_ledger::<&str>(&[]);
    let small_ok = "ok: 2 contracts, 0 time-log rows, 0 approvals\n";
    // cwd is the small ledger, the environment names the demo: the environment wins.
    run_with(small.path(), &["check"], |cmd, _| {
        cmd.env("SUPPORTCTL_LEDGER", demo());
    })
    .success()
    .stdout(DEMO_OK);
    // The flag wins over both.
    run_with(small.path(), &["--ledger", small.path().to_str().unwrap(), "check"], |cmd, _| {
        cmd.env("SUPPORTCTL_LEDGER", demo());
    })
    .success()
    .stdout(small_ok);
    // An empty SUPPORTCTL_LEDGER is as if unset.
    run_with(small.path(), &["check"], |cmd, _| {
        cmd.env("SUPPORTCTL_LEDGER", "");
    })
    .success()
    .stdout(small_ok);
}

#[cfg(target_os = "linux")]
#[test]
fn per_user_data_folder_is_the_last_resort() {
    let elsewhere = tempfile::tempdir().unwrap();
    run_with(elsewhere.path(), &["check"], |_, home| {
        // directories: $XDG_DATA_HOME/supportctl on Linux.
        let data = home.join("data/supportctl");
        write(&data, "supportctl.toml", "");
        write(&data, "contracts/acme.toml", ACME);
    })
    .success()
    .stdout("ok: 1 contract, 0 time-log rows, 0 approvals\n");
}

#[test]
fn no_ledger_found_names_supportctl_init() {
    let empty = tempfile::tempdir().unwrap();
    run(empty.path(), &["check"])
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error: no ledger found").and(predicate::str::contains("supportctl init")));
    run(empty.path(), &["report", "--month", "2026-10"]).code(1).stdout(predicate::str::is_empty());
    run(empty.path(), &["contracts"]).code(1).stderr(predicate::str::contains("supportctl init"));
}

#[test]
fn ledger_flag_on_a_folder_without_settings_names_init_dir() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().join("books");
    fs::create_dir(&dir).unwrap();
    let d = dir.to_str().unwrap();
    run(empty.path(), &["--ledger", d, "check"]).code(1).stdout(predicate::str::is_empty()).stderr(format!(
        "error: {d} is not a ledger: it has no supportctl.toml (create one with `supportctl init {d}`)\n"
    ));
    // Even from inside another ledger: --ledger is not a hint, it is the ledger.
    run(&demo(), &["--ledger", d, "check"]).code(1).stderr(predicate::str::contains(format!("supportctl init {d}")));
}

#[test]
fn environment_variable_on_a_folder_without_settings_names_init_dir() {
    let empty = tempfile::tempdir().unwrap();
    let d = empty.path().to_str().unwrap().to_string();
    run_with(empty.path(), &["check"], |cmd, _| {
        cmd.env("SUPPORTCTL_LEDGER", &d);
    })
    .code(1)
    .stderr(
        predicate::str::contains("SUPPORTCTL_LEDGER=").and(predicate::str::contains(format!("supportctl init {d}"))),
    );
}

// ---------------------------------------------------------------------------
// init

#[test]
fn init_creates_a_ledger_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    run(root, &["init"]).success().stderr(predicate::str::is_empty());

    assert_eq!(
        listing(root),
        [".gitattributes", "approvals.csv", "contracts", "supportctl.toml", "tickets.csv", "timelog"]
    );
    assert_eq!(listing(&root.join("contracts")), ["example.toml"]);
    assert!(root.join("timelog").is_dir());
    assert_eq!(listing(&root.join("timelog")), Vec::<String>::new());

    let settings = fs::read_to_string(root.join("supportctl.toml")).unwrap();
    for tier in ["16h", "20h", "30h", "40h", "50h"] {
        assert!(settings.contains(&format!("name = \"{tier}\"")), "price list written out: {settings}");
    }
    assert!(settings.contains("rate = \"90.00\""), "{settings}");
    assert_eq!(settings.lines().filter(|l| l.trim() == "[[tier]]").count(), 5);

    let approvals = fs::read_to_string(root.join("approvals.csv")).unwrap();
    assert_eq!(approvals, "date,contract,month,minutes,reference,note,id\n");

    let attrs = fs::read_to_string(root.join(".gitattributes")).unwrap();
    let union: Vec<&str> = attrs.lines().filter(|l| !l.starts_with('#') && l.contains("merge=union")).collect();
    assert!(union.iter().any(|l| l.starts_with("timelog/*.csv ")), "{attrs}");
    assert!(union.iter().any(|l| l.starts_with("approvals.csv ")), "{attrs}");
    for appended in ["tickets.csv ", "corrections.csv ", "invoices.csv "] {
        assert!(union.iter().any(|l| l.starts_with(appended)), "{appended}: {attrs}");
    }

    run(root, &["check"]).success().stdout("ok: 1 contract, 0 time-log rows, 0 approvals\n").stderr("");
    // The example contract can be reported on straight away.
    let a = run(root, &["report", "--month", "2026-11", "--format", "json"]).success();
    let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(r["contracts"][0]["contract"], "example");
    assert_eq!(r["totals"]["fee"], "1600.00");
}

#[test]
fn init_dir_creates_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["init", "books/support"]).success();
    let root = dir.path().join("books/support");
    assert!(root.join("supportctl.toml").is_file());
    run(dir.path(), &["--ledger", "books/support", "check"]).success();
}

#[test]
fn init_again_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    run(root, &["init"]).success();
    let files = ["supportctl.toml", "contracts/example.toml", "approvals.csv", ".gitattributes"];
    for f in files {
        append(root, f, format!("# edited by hand: {f}\n"));
    }
    let before: Vec<Vec<u8>> = files.iter().map(|f| fs::read(root.join(f)).unwrap()).collect();
    let a = run(root, &["init"]).success();
    let after: Vec<Vec<u8>> = files.iter().map(|f| fs::read(root.join(f)).unwrap()).collect();
    assert_eq!(before, after, "init changed an existing file");
    for f in files {
        assert!(stderr(&a).lines().any(|l| l == format!("kept existing {f}")), "{}", stderr(&a));
    }
    // With DIR too.
    run(dir.path(), &["init", root.to_str().unwrap()]).success();
    let again: Vec<Vec<u8>> = files.iter().map(|f| fs::read(root.join(f)).unwrap()).collect();
    assert_eq!(before, again);
}

#[test]
fn init_over_a_partial_ledger_adds_only_the_missing_files() {
    let l =
        small_ledger(&[("approvals.csv", "date,contract,month,minutes,reference\n2026-10-20,beta,2026-10,60,SD-1\n")]);
    let settings_before = fs::read(l.path().join("supportctl.toml")).unwrap();
    let approvals_before = fs::read(l.path().join("approvals.csv")).unwrap();
    run(l.path(), &["init"]).success();
    assert_eq!(fs::read(l.path().join("supportctl.toml")).unwrap(), settings_before);
    assert_eq!(fs::read(l.path().join("approvals.csv")).unwrap(), approvals_before);
    assert!(l.path().join(".gitattributes").is_file());
    assert!(l.path().join("contracts/example.toml").is_file());
}

// ---------------------------------------------------------------------------
// contracts and check on the demo ledger

#[test]
fn contracts_on_the_demo_shows_each_contract_and_the_tier_change() {
    let a = run_on(&demo(), &["contracts", "--month", "2026-11"]).success();
    let out = stdout(&a);
    assert!(out.starts_with("Contracts, terms for 2026-11\n"), "{out}");
    for id in [
        "alpen-kliniken",
        "brandt-logistik",
        "hansa-versicherung",
        "mueller-maschinenbau",
        "nordwind-energie",
        "stadtwerke-rheinpfalz",
    ] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    let row = |out: &str, id: &str| out.lines().find(|l| l.contains(id)).unwrap().to_string();
    // brandt-logistik moved from 20h to 30h from 2026-10: the terms in force
    // in 2026-11, and the change itself.
    let nov = row(&out, "brandt-logistik");
    assert!(nov.contains("30h") && nov.contains("3,000.00 EUR"), "{nov}");
    assert!(nov.contains("2026-10: tier 30h"), "{nov}");
    // Only brandt-logistik has a [[change]].
    assert_eq!(out.matches("2026-10: tier").count(), 1, "{out}");
    let sep = stdout(&run_on(&demo(), &["contracts", "--month", "2026-09"]).success());
    let sep = row(&sep, "brandt-logistik");
    assert!(sep.contains("20h") && sep.contains("2,000.00 EUR"), "{sep}");
    // stadtwerke-rheinpfalz ended in 2026-10.
    assert!(row(&out, "stadtwerke-rheinpfalz").contains("ended"), "{out}");
    assert!(row(&out, "nordwind-energie").contains("custom"), "{out}");
}

#[test]
fn contracts_header_names_every_column() {
    let out = stdout(&run_on(&demo(), &["contracts", "--month", "2026-11"]).success());
    // Lines 3 (header) and 5 (first contract) of the table: as many cells, none of the header's empty.
    let cells = |l: &str| l.trim_matches('│').split('┆').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let lines: Vec<&str> = out.lines().collect();
    let header = cells(lines[2]);
    let first = cells(lines[4]);
    assert_eq!(header.len(), first.len(), "{out}");
    assert!(header.iter().all(|h| !h.is_empty()), "a column without a title: {header:?}");
}

#[test]
fn contracts_month_defaults_to_current() {
    let a = run_on(&demo(), &["contracts"]).success();
    assert!(stdout(&a).starts_with("Contracts, terms for 2026-11\n"), "{}", stdout(&a));
    let a = run_on(&demo(), &["contracts", "--month", "last"]).success();
    assert!(stdout(&a).starts_with("Contracts, terms for 2026-10\n"), "{}", stdout(&a));
    run_on(&demo(), &["contracts", "--month", "2026-13"]).code(2);
}

#[test]
fn check_on_the_demo_passes() {
    run_on(&demo(), &["check"]).success().stdout(DEMO_OK).stderr("");
}

// ---------------------------------------------------------------------------
// examples/month-end.sh

/// What the month end of the demo's October writes: the reports and a
/// statement per contract (its invoices were issued before, in the ledger).
fn october_files() -> Vec<String> {
    let mut files = vec!["report-2026-10.csv".to_string(), "report-2026-10.json".to_string()];
    for c in [
        "alpen-kliniken",
        "brandt-logistik",
        "hansa-versicherung",
        "mueller-maschinenbau",
        "nordwind-energie",
        "stadtwerke-rheinpfalz",
    ] {
        files.push(format!("statement-2026-10-{c}.html"));
    }
    files
}

fn month_end(cwd: &Path, out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    month_end_with(cwd, out, args, &[])
}

fn month_end_with(cwd: &Path, out: &Path, args: &[&str], env: &[(&str, &str)]) -> assert_cmd::assert::Assert {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("bash");
    isolate(&mut cmd, cwd, home.path());
    cmd.arg(month_end_script()).args(args).env("SUPPORTCTL", bin()).env("OUT", out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.assert()
}

#[test]
fn month_end_closes_the_month_and_stops_on_unapproved_overage() {
    let l = demo_copy();
    let out = tempfile::tempdir().unwrap();
    let ledger = l.path().to_str().unwrap();
    // On 1 December, November is over; brandt-logistik has 1:40 unapproved.
    let dec = [("SUPPORTCTL_TODAY", "2026-12-01"), ("SUPPORTCTL_NOW", "2026-12-01T08:00:00+01:00")];
    let before = tree(l.path());
    let a = month_end_with(out.path(), out.path(), &[ledger], &dec).failure();
    let e = stderr(&a);
    assert!(e.contains("`supportctl approve brandt-logistik 1:40 --month 2026-11 --ref …`"), "{e}");
    assert!(e.contains("2026-11 could not be closed"), "{e}");
    assert_eq!(tree(l.path()), before, "nothing closed");
    assert!(listing(out.path()).is_empty(), "{:?}", listing(out.path()));
    // Told to write it off, it closes November and writes the closed figures.
    let env = [dec[0], dec[1], ("WRITE_OFF", "1")];
    let a = month_end_with(out.path(), out.path(), &[ledger], &env).success();
    assert!(stdout(&a).contains("closed 2026-11: 5 contracts"), "{}", stdout(&a));
    assert!(l.path().join("closings/2026-11.toml").is_file());
    let json = fs::read_to_string(out.path().join("report-2026-11.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["closed"]["at"], "2026-12-01T08:00:00+01:00");
    let brandt = r["contracts"].as_array().unwrap().iter().find(|c| c["contract"] == "brandt-logistik").unwrap();
    assert_eq!(brandt["written_off_minutes"], 100);
    // And its e-invoices, numbered after the demo's eighteen.
    assert!(stdout(&a).contains("RE-2026-0019 alpen-kliniken 2026-11: invoice"), "{}", stdout(&a));
    let register = fs::read_to_string(l.path().join("invoices.csv")).unwrap();
    assert_eq!(register.lines().count(), 1 + 18 + 5);
    let files: Vec<std::path::PathBuf> = (19..=23).map(|n| out.path().join(format!("RE-2026-{n:04}.xml"))).collect();
    let (code, text) = validate_invoices(&files);
    assert_eq!(code, 0, "{text}");
    // Beside them, each contract's statement; hansa's carries October's correction.
    let hansa = fs::read_to_string(out.path().join("statement-2026-11-hansa-versicherung.html")).unwrap();
    assert!(hansa.contains("SD-1237: the staging test of 2026-10-30 was logged twice"), "{hansa}");
    assert_eq!(listing(out.path()).iter().filter(|f| f.starts_with("statement-2026-11-")).count(), 5);
    // A second run finds it closed, verifies it and writes the same reports,
    // issuing no new invoice number.
    let before = tree(l.path());
    let a = month_end_with(out.path(), out.path(), &[ledger, "2026-11"], &dec).success();
    assert!(stdout(&a).contains("2026-11 was closed before"), "{}", stdout(&a));
    assert!(stdout(&a).contains("RE-2026-0019 alpen-kliniken 2026-11: already issued"), "{}", stdout(&a));
    assert_eq!(fs::read_to_string(out.path().join("report-2026-11.json")).unwrap(), json);
    assert_eq!(tree(l.path()), before);
}

#[test]
fn month_end_writes_the_reports_of_the_month() {
    let l = demo_copy();
    let out = tempfile::tempdir().unwrap();
    let a = month_end(out.path(), out.path(), &[l.path().to_str().unwrap(), "2026-10"]).success();
    assert!(stdout(&a).contains("month 2026-10: wrote"), "{}", stdout(&a));
    assert_eq!(listing(out.path()), october_files(), "no temporary files left");

    let json = fs::read_to_string(out.path().join("report-2026-10.json")).unwrap();
    let want = stdout(&run_on(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success());
    assert_eq!(json, want);
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["totals"]["gross"], "21589.53");

    let csv = fs::read_to_string(out.path().join("report-2026-10.csv")).unwrap();
    let want = stdout(&run_on(l.path(), &["report", "--month", "2026-10", "--format", "csv"]).success());
    assert_eq!(csv, want);
}

#[test]
fn month_end_defaults_to_last_month_and_finds_the_ledger_itself() {
    let l = demo_copy();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("invoices");
    // No arguments: the ledger is found from the current folder, the month is "last".
    month_end(&l.path().join("timelog"), &out_dir, &[]).success();
    assert_eq!(listing(&out_dir), october_files());
    let json = fs::read_to_string(out_dir.join("report-2026-10.json")).unwrap();
    assert!(json.contains("\"month\": \"2026-10\""), "{json}");
}

#[test]
fn month_end_fails_on_a_broken_ledger_and_writes_nothing() {
    let l = demo_copy();
    append(l.path(), "timelog/2026-09.csv", "2026-09-30,brandt-logistik,x\n");
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("invoices");
    let a = month_end(out.path(), &out_dir, &[l.path().to_str().unwrap(), "2026-10"]).failure();
    assert!(stderr(&a).contains("timelog/2026-09.csv:57: "), "{}", stderr(&a));
    assert!(stderr(&a).contains("Nothing was written"), "{}", stderr(&a));
    assert!(listing(&out_dir).is_empty(), "{:?}", listing(&out_dir));
}

#[test]
fn month_end_keeps_an_earlier_report_when_it_fails() {
    let l = demo_copy();
    let out = tempfile::tempdir().unwrap();
    month_end(out.path(), out.path(), &[l.path().to_str().unwrap(), "2026-10"]).success();
    let before = fs::read(out.path().join("report-2026-10.json")).unwrap();
    append(l.path(), "timelog/2026-10.csv", "2026-10-30,brandt-logistik,\"1,5\",,,,,,,\n");
    month_end(out.path(), out.path(), &[l.path().to_str().unwrap(), "2026-10"]).failure();
    assert_eq!(fs::read(out.path().join("report-2026-10.json")).unwrap(), before);
    assert_eq!(listing(out.path()), october_files());
}
