//! Git round trip (issue 6 item 6; SPEC §2.3; RELIABILITY G1–G4, F15): a
//! ledger made by `supportctl init`, whose `.gitattributes` merges the time
//! log with `merge=union`, shared by two clones through git.
//!
//! - Both clones log entries, two of them identical (same contract, minutes,
//!   note, engineer and day): after the merge every entry is there once,
//!   the identical ones too (their ids differ), and `check` passes.
//! - One clone edits an existing row while the other appends: the union
//!   merge keeps both versions of the edited row without a conflict, and
//!   `check` reports the repeated id.
//!
//! Runs the `git` command line in a scratch folder with its own HOME and no
//! global or system configuration; skipped with a message when git is missing.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;

const NOV: &str = "timelog/2026-11.csv";

fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Runs `git ARGS` in `dir` isolated from the machine's configuration;
/// returns stdout, failing on a non-zero exit.
fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?} in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Sets a local identity (commits need one; nothing global is touched).
fn identify(dir: &Path, home: &Path, name: &str) {
    git(dir, home, &["config", "user.name", name]);
    git(dir, home, &["config", "user.email", &format!("{name}@example.com")]);
    git(dir, home, &["config", "commit.gpgsign", "false"]);
}

/// `supportctl --ledger DIR ARGS` as engineer `engineer`, isolated, on
/// 2026-11-27; returns the exit code and stderr.
fn supportctl(ledger: &Path, engineer: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["--ledger", ledger.to_str().unwrap()];
    all.extend_from_slice(args);
    let a = common::run_with(ledger.parent().unwrap(), &all, |c, _| {
        c.env("SUPPORTCTL_ENGINEER", engineer);
    });
    let o = a.get_output();
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn log(ledger: &Path, engineer: &str, args: &[&str]) {
    let mut all = vec!["log", "example"];
    all.extend_from_slice(args);
    all.push("-q");
    let (code, err) = supportctl(ledger, engineer, &all);
    assert_eq!(code, Some(0), "log {args:?}: {err}");
}

/// The data rows of the month file as maps column → value.
fn rows(ledger: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let data = fs::read(ledger.join(NOV)).unwrap();
    let mut r = csv::ReaderBuilder::new().from_reader(data.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// A scratch folder with `seed` (a ledger from `supportctl init`, committed,
/// with November's file holding `seed_rows` entries) cloned to `a` and `b`.
struct Repos {
    dir: tempfile::TempDir,
}

impl Repos {
    fn new(seed_rows: &[&[&str]]) -> Repos {
        let r = Repos { dir: tempfile::tempdir().unwrap() };
        fs::create_dir_all(r.home()).unwrap();
        let seed = r.path("seed");
        fs::create_dir_all(&seed).unwrap();
        git(&seed, &r.home(), &["-c", "init.defaultBranch=main", "init", "-q"]);
        identify(&seed, &r.home(), "seed");
        let (code, err) = supportctl(&seed, "seed", &["init"]);
        assert_eq!(code, Some(0), "init: {err}");
        let attributes = fs::read_to_string(seed.join(".gitattributes")).unwrap();
        assert!(attributes.contains("timelog/*.csv text eol=lf merge=union"), "{attributes}");
        for args in seed_rows {
            log(&seed, "seed", args);
        }
        git(&seed, &r.home(), &["add", "-A"]);
        git(&seed, &r.home(), &["commit", "-q", "-m", "ledger"]);
        for name in ["a", "b"] {
            git(r.dir.path(), &r.home(), &["clone", "-q", "seed", name]);
            identify(&r.path(name), &r.home(), name);
        }
        r
    }

    fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home")
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn commit(&self, name: &str, message: &str) {
        git(&self.path(name), &self.home(), &["add", "-A"]);
        git(&self.path(name), &self.home(), &["commit", "-q", "-m", message]);
    }

    /// Merges b's main into a (fetch + merge, as `git pull` does).
    fn merge_b_into_a(&self) {
        let a = self.path("a");
        git(&a, &self.home(), &["fetch", "-q", "../b", "main"]);
        git(&a, &self.home(), &["merge", "--no-edit", "-q", "FETCH_HEAD"]);
    }
}

#[test]
fn appends_on_two_clones_merge_into_every_entry_and_check_passes() {
    if !git_available() {
        println!("skipped: git is not installed");
        return;
    }
    let r = Repos::new(&[&["45m", "seeded", "--date", "2026-11-02"]]);
    let (a, b) = (r.path("a"), r.path("b"));
    // The same entry on both machines, by the same engineer, on the same day.
    let same: &[&str] = &["30m", "printer queue", "--date", "2026-11-20", "--ticket", "SD-7"];
    log(&a, "anna", same);
    log(&a, "anna", &["1h", "only on a", "--date", "2026-11-21"]);
    log(&b, "anna", same);
    log(&b, "anna", &["15m", "only on b", "--date", "2026-11-22"]);
    log(&b, "anna", same);
    r.commit("a", "a logs");
    r.commit("b", "b logs");
    r.merge_b_into_a();

    let merged = fs::read_to_string(a.join(NOV)).unwrap();
    assert!(!merged.contains("<<<<<<<") && !merged.contains(">>>>>>>"), "{merged}");
    let (code, err) = supportctl(&a, "anna", &["check"]);
    assert_eq!(code, Some(0), "check after the merge: {err}\n{merged}");
    let rows = rows(&a);
    assert_eq!(rows.len(), 6, "1 seeded + 2 from a + 3 from b:\n{merged}");
    let ids: HashSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), 6, "ids are distinct:\n{merged}");
    let identical = rows.iter().filter(|r| r["note"] == "printer queue").count();
    assert_eq!(identical, 3, "the identical entries all survive the union merge:\n{merged}");
    for note in ["seeded", "only on a", "only on b"] {
        assert_eq!(rows.iter().filter(|r| r["note"] == note).count(), 1, "{note}:\n{merged}");
    }
    assert_eq!(merged.lines().filter(|l| l.starts_with("date,")).count(), 1, "one header:\n{merged}");

    // The merged ledger's figures: 45 + 3 × 30 + 60 + 15 minutes.
    let report = common::run_on(&a, &["report", "--month", "2026-11", "--format", "json"]).success();
    let v: serde_json::Value = serde_json::from_slice(&report.get_output().stdout).unwrap();
    assert_eq!(v["contracts"][0]["used_minutes"], 210, "{v}");
}

#[test]
fn an_edit_on_one_side_and_an_append_on_the_other_make_check_report_the_repeated_id() {
    if !git_available() {
        println!("skipped: git is not installed");
        return;
    }
    let r = Repos::new(&[&["45m", "first", "--date", "2026-11-02"], &["30m", "second", "--date", "2026-11-03"]]);
    let (a, b) = (r.path("a"), r.path("b"));
    // a edits the last row by hand (30 → 90 minutes); b appends.
    let text = fs::read_to_string(a.join(NOV)).unwrap();
    let edited = text.replace("2026-11-03,example,30,", "2026-11-03,example,90,");
    assert_ne!(edited, text);
    fs::write(a.join(NOV), edited).unwrap();
    log(&b, "ben", &["20m", "appended on b", "--date", "2026-11-25"]);
    r.commit("a", "a edits");
    r.commit("b", "b appends");
    r.merge_b_into_a();

    let merged = fs::read_to_string(a.join(NOV)).unwrap();
    assert!(!merged.contains("<<<<<<<"), "the union merge leaves no marker:\n{merged}");
    let rows = rows(&a);
    let second: Vec<_> = rows.iter().filter(|r| r["note"] == "second").collect();
    assert_eq!(second.len(), 2, "both versions of the edited row are kept:\n{merged}");
    assert_eq!(second[0]["id"], second[1]["id"]);
    let (code, err) = supportctl(&a, "anna", &["check"]);
    assert_eq!(code, Some(1), "check must fail:\n{err}\n{merged}");
    assert!(err.contains("already used") && err.contains(NOV), "{err}");
    assert!(err.contains(&second[0]["id"]), "the message names the id: {err}");
    // The report refuses too: it would count the row twice.
    let (code, err) = supportctl(&a, "anna", &["report", "--month", "2026-11"]);
    assert_eq!(code, Some(1), "{err}");
}
