//! `supportctl import` on temp ledgers: the real samples of
//! `tests/data/import-samples/` with each of their traps, idempotence, every
//! refusal, malformed files, a failure halfway and its re-run, and a
//! property: imported minutes reach `report` exactly, whatever their order.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use proptest::prelude::*;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import-samples").join(name)
}

const V2: &str = "jira-cloud-rest-v2-worklogs.devlake.jsonl";
const V3: &str = "jira-cloud-rest-v3-worklogs.airbyte.jsonl";
const TEMPO: &str = "tempo-server-rest-v3-worklogs.go-jira.json";

/// The issue ids of the Jira samples mapped to keys of project DL (and one
/// to XX, which no contract lists).
const ISSUES: &str = "id,key\n10076,DL-1\n12083,DL-2\n11956,DL-3\n12760,XX-4\n10030,AIR-7\n10002,AIR-8\n";

/// A ledger with contracts for the samples' projects: `devlake` (DL, from
/// 2020-01, 15-minute rounding), `airbyte` (AIR, 2021), `slrm` (SLRM).
fn sample_ledger() -> tempfile::TempDir {
    ledger(&[
        ("supportctl.toml", ""),
        (
            "contracts/devlake.toml",
            "customer = \"DevLake\"\ntier = \"20h\"\nstart = \"2020-01\"\nrounding = \"15m\"\njira_projects = [\"dl\"]\n",
        ),
        (
            "contracts/airbyte.toml",
            "customer = \"Airbyte\"\ntier = \"16h\"\nstart = \"2021-01\"\nend = \"2021-12\"\njira_projects = [\"AIR\"]\n",
        ),
        (
            "contracts/slrm.toml",
            "customer = \"Slrm\"\ntier = \"16h\"\nstart = \"2018-01\"\njira_projects = [\"SLRM\"]\n",
        ),
        ("issues.csv", ISSUES),
    ])
}

fn import(l: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    run_on(l, &all)
}

fn timelog(l: &Path, month: &str) -> String {
    std::fs::read_to_string(l.join(format!("timelog/{month}.csv"))).unwrap_or_default()
}

fn issues(l: &Path) -> String {
    l.join("issues.csv").display().to_string()
}

#[test]
fn jira_v2_sample_days_minutes_and_notes_then_nothing_twice() {
    let l = sample_ledger();
    let file = sample(V2);
    let f = file.to_str().unwrap();
    let iss = issues(l.path());
    // Dry run: the summary, nothing written.
    let before = tree(l.path());
    let a = import(l.path(), &["jira-worklogs", f, "--issues", &iss]).success();
    assert_eq!(tree(l.path()), before, "a dry run writes nothing");
    let out = stdout(&a);
    assert!(out.contains("4 worklogs read"), "{out}");
    assert!(
        out.contains("would add 3 worklogs (21:00) to 3 month files\n0 already in the ledger, 1 cannot be imported"),
        "{out}"
    );
    assert!(out.contains("devlake   2020-06       1    10:00        0     0:00"), "{out}");
    assert!(out.contains("  line 4 (id 10759): unmappable project XX: no contract lists it in jira_projects"), "{out}");
    assert!(out.contains("dry run: nothing was written; add --apply to write the rows"), "{out}");

    // Applied: exit 1 because one worklog could not be imported.
    let a = import(l.path(), &["jira-worklogs", f, "--issues", &iss, "--apply"]).code(1);
    assert!(stderr(&a).contains("error: 1 worklog could not be imported"), "{}", stderr(&a));
    // +0800 early in the morning is the evening before in Berlin; "1d 2h"
    // is 36,000 s on an 8-hour-day site: 600 minutes.
    let june = timelog(l.path(), "2020-06");
    let id = ulid::Ulid(supportctl::model::worklog::row_id(supportctl::model::worklog::Source::JiraWorklogs, "10006"));
    assert_eq!(
        june,
        format!(
            "date,contract,minutes,ticket,kind,level,channel,engineer,note,id\n2020-06-05,devlake,600,DL-1,support,,,Engineer A,,{id}\n"
        )
    );
    assert!(timelog(l.path(), "2020-11").contains("\n2020-11-19,devlake,480,DL-2,support,,,Engineer C,,"));
    // The multi-line note is one line.
    assert!(
        timelog(l.path(), "2021-01").contains(
            ",180,DL-3,support,,,Engineer B,修复数据库结构变更造成之前查询无效的问题. * 事务重开次数 * 事务返工时间 * bugs数/千开发当量 * jira配置选项,"
        ),
        "{}",
        timelog(l.path(), "2021-01")
    );
    run_on(l.path(), &["check"]).success();

    // Again: nothing added, every byte the same.
    let after = tree(l.path());
    let a = import(l.path(), &["jira-worklogs", f, "--issues", &iss, "--apply"]).code(1);
    assert_eq!(tree(l.path()), after, "a second import adds nothing");
    assert!(stdout(&a).contains("nothing to add\n3 already in the ledger, 1 cannot be imported"), "{}", stdout(&a));
    assert!(stdout(&a).contains("devlake   2020-06       0     0:00        1    10:00"), "{}", stdout(&a));
}

#[test]
fn jira_v3_sample_adf_next_day_in_berlin_and_the_tempo_app_skipped() {
    let l = sample_ledger();
    let file = sample(V3);
    let iss = issues(l.path());
    let a = import(l.path(), &["jira-worklogs", file.to_str().unwrap(), "--issues", &iss, "--apply"]).success();
    let out = stdout(&a);
    assert!(out.contains("skipped: 1 worklog (0:30) written into Jira by the Tempo app"), "{out}");
    // 2021-04-14T18:48:52.747-0700 is 03:48 on the 15th in Berlin; 9,480 s = 158 min.
    let april = timelog(l.path(), "2021-04");
    assert!(
        april.contains("\n2021-04-15,airbyte,158,AIR-7,support,,,integration test,I did some work here. 3,"),
        "{april}"
    );
    assert!(!l.path().join("timelog/2021-01.csv").exists(), "the Tempo app's worklog is not imported");
    run_on(l.path(), &["check"]).success();
    // Without --issues the v3 worklogs have no key.
    let l = sample_ledger();
    let a = import(l.path(), &["jira-worklogs", file.to_str().unwrap()]).success();
    assert!(
        stdout(&a).contains("  line 1 (id 11670): no issue key: only issue id 10030; give --issues FILE"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn tempo_sample_local_dates_and_ids_of_their_own() {
    let l = sample_ledger();
    let file = sample(TEMPO);
    let a = import(l.path(), &["tempo", file.to_str().unwrap(), "--apply"]).success();
    assert!(stdout(&a).contains("wrote 2 rows to timelog/2018-04.csv"), "{}", stdout(&a));
    let text = timelog(l.path(), "2018-04");
    let id = |n: &str| ulid::Ulid(supportctl::model::worklog::row_id(supportctl::model::worklog::Source::Tempo, n));
    assert_eq!(
        text,
        format!(
            "date,contract,minutes,ticket,kind,level,channel,engineer,note,id\n\
             2018-04-08,slrm,480,SLRM-200,support,,,Engineer One,Database structure creating,{}\n\
             2018-04-10,slrm,180,SLRM-200,support,,,Engineer One,DevOps'ing,{}\n",
            id("16210"),
            id("16235")
        )
    );
    // A Jira import of a worklog with the same number is another row.
    assert_ne!(
        supportctl::model::worklog::row_id(supportctl::model::worklog::Source::Tempo, "16210"),
        supportctl::model::worklog::row_id(supportctl::model::worklog::Source::JiraWorklogs, "16210")
    );
    let a = run_on(l.path(), &["report", "--month", "2018-04", "--format", "json"]).success();
    let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(r["contracts"][0]["used_minutes"], 660);
}

/// A JSON-lines worklog of project SD.
fn jl(id: u32, started: &str, seconds: u64, comment: &str) -> String {
    serde_json::json!({
        "id": id.to_string(), "issueKey": format!("SD-{}", id % 7 + 1), "started": started,
        "timeSpentSeconds": seconds, "comment": comment,
        "author": {"displayName": format!("Engineer {}", id % 3), "accountType": "atlassian"}
    })
    .to_string()
}

/// `small_ledger` with acme listing project SD.
fn sd_ledger(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![("contracts/acme.toml", format!("{ACME}jira_projects = [\"SD\"]\n"))];
    files.extend(extra.iter().map(|(a, b)| (*a, b.to_string())));
    small_ledger(&files)
}

fn write_export(dir: &Path, lines: &[String]) -> PathBuf {
    let p = dir.join("export.jsonl");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

#[test]
fn one_more_worklog_adds_exactly_that_one_and_two_machines_write_the_same_ids() {
    let l = sd_ledger(&[]);
    let other = sd_ledger(&[]);
    let work = tempfile::tempdir().unwrap();
    let mut lines =
        vec![jl(1, "2026-10-02T09:00:00.000+0200", 1800, "a"), jl(2, "2026-11-03T09:00:00.000+0100", 3600, "b")];
    let f = write_export(work.path(), &lines);
    import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    import(other.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    assert_eq!(tree(l.path()), tree(other.path()), "the same rows and ids on two machines");
    lines.push(jl(3, "2026-11-04T09:00:00Z", 120, "c"));
    let f = write_export(work.path(), &lines);
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    assert!(
        stdout(&a).contains("adding 1 worklog (0:02) to 1 month file\n2 already in the ledger, 0 cannot be imported"),
        "{}",
        stdout(&a)
    );
    assert_eq!(timelog(l.path(), "2026-11").lines().count(), 3);
    assert_eq!(timelog(l.path(), "2026-10").lines().count(), 2);
    // After a git-style union of both ledgers, `check` names the worklog
    // imported on both machines as a duplicate id.
    let merged = timelog(l.path(), "2026-10")
        + &timelog(other.path(), "2026-10").lines().skip(1).collect::<Vec<_>>().join("\n")
        + "\n";
    write(l.path(), "timelog/2026-10.csv", merged);
    let a = run_on(l.path(), &["check"]).code(1);
    assert!(stderr(&a).contains("timelog/2026-10.csv:3: id: "), "{}", stderr(&a));
    assert!(stderr(&a).contains("is already used at timelog/2026-10.csv:2"), "{}", stderr(&a));
}

#[test]
fn refusals_are_listed_with_reason_and_place() {
    let l = sd_ledger(&[
        ("contracts/beta.toml", &format!("{BETA}jira_projects = [\"BETA\", \"shared\"]\n")),
        (
            "contracts/gamma.toml",
            "customer = \"G\"\ntier = \"16h\"\nstart = \"2026-01\"\njira_projects = [\"SHARED\"]\n",
        ),
        ("timelog/2026-08.csv", "date,contract,minutes,ticket,engineer,note\n"),
    ]);
    run_on(l.path(), &["close", "--month", "2026-09", "--engineer", "anna"]).success();
    let work = tempfile::tempdir().unwrap();
    let mut beta = jl(5, "2026-11-02T10:00:00Z", 60, "");
    beta = beta.replace("\"SD-6\"", "\"BETA-1\"");
    let shared = jl(6, "2026-11-02T10:00:00Z", 60, "").replace("\"SD-7\"", "\"SHARED-1\"");
    let lines = vec![
        jl(1, "2026-11-02T10:00:00Z", 0, "zero"),
        jl(2, "2026-11-02T10:00:00Z", 60, "").replace("\"SD-3\"", "\"XY-3\""),
        shared,
        r#"{"id": "4", "started": "2026-11-02T10:00:00Z", "timeSpentSeconds": 60}"#.to_string(),
        beta,
        jl(7, "2026-09-30T10:00:00Z", 60, "closed"),
        jl(8, "2025-12-30T10:00:00Z", 60, "before the start"),
        jl(9, "2026-08-03T10:00:00Z", 60, "no id column"),
        r#"{"id": "10", "issueKey": "SD-1", "started": "the 2nd", "timeSpentSeconds": 60}"#.to_string(),
        jl(11, "2026-11-02T10:00:00Z", 90, "fine"),
    ];
    let f = write_export(work.path(), &lines);
    let before = tree(l.path());
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap()]).success();
    assert_eq!(tree(l.path()), before);
    let out = stdout(&a);
    let listed: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("cannot be imported"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        listed,
        [
            "  line 1 (id 1): zero time",
            "  line 2 (id 2): unmappable project XY: no contract lists it in jira_projects",
            "  line 3 (id 6): project SHARED is listed by beta and gamma: whose is it?",
            "  line 4 (id 4): no issue key (no issueKey, issue.key or issueId)",
            "  line 5 (id 5): contract beta is not active in 2026-11",
            "  line 6 (id 7): month closed: 2026-09 (closings/2026-09.toml)",
            "  line 7 (id 8): contract acme is not active in 2025-12",
            "  line 8 (id 9): timelog/2026-08.csv has no \"id\" column; add it to the file's header",
            "  line 9 (id 10): unreadable field started: \"the 2nd\" is not a time (YYYY-MM-DDThh:mm:ss with optional fractions and an offset such as Z, +02:00 or -0700)",
        ],
        "{out}"
    );
    assert!(
        out.contains("would add 1 worklog (0:02) to 1 month file\n0 already in the ledger, 9 cannot be imported"),
        "{out}"
    );
    // check warns about the project listed twice.
    let a = run_on(l.path(), &["check"]).success();
    assert!(
        stderr(&a).contains("contracts/beta.toml: warning: jira_projects: SHARED is listed by beta, gamma"),
        "{}",
        stderr(&a)
    );
    // --apply writes the one that can be imported and exits 1.
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).code(1);
    assert!(stdout(&a).contains("wrote 1 row to timelog/2026-11.csv"), "{}", stdout(&a));
    assert_eq!(timelog(l.path(), "2026-11").lines().count(), 2);
    assert_eq!(timelog(l.path(), "2026-08"), "date,contract,minutes,ticket,engineer,note\n");
}

#[test]
fn a_worklog_edited_upstream_is_listed_with_both_versions_and_not_written() {
    let l = sd_ledger(&[]);
    let work = tempfile::tempdir().unwrap();
    let f = write_export(work.path(), &[jl(1, "2026-11-02T10:00:00Z", 1800, "first look")]);
    import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    let after = tree(l.path());
    let f = write_export(work.path(), &[jl(1, "2026-11-02T10:00:00Z", 2700, "first look, then a fix")]);
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).code(1);
    assert_eq!(tree(l.path()), after);
    let out = stdout(&a);
    assert!(
        out.contains(
            "  line 1 (id 1): changed upstream since it was imported:\n    ledger timelog/2026-11.csv:2\n      2026-11-02 acme 0:30 SD-2 Engineer 1: first look\n    now in the export\n      2026-11-02 acme 0:45 SD-2 Engineer 1: first look, then a fix\n"
        ),
        "{out}"
    );
}

#[test]
fn malformed_files_are_errors_with_line_and_column_or_path_and_write_nothing() {
    let l = sd_ledger(&[]);
    let work = tempfile::tempdir().unwrap();
    let before = tree(l.path());
    let good = jl(1, "2026-11-02T10:00:00Z", 60, "");
    let cases = [
        (format!("{good}\n{{\"id\": \"2\", \"started\": \n"), ":2:"),
        (
            format!("{good}\n\n  [1, 2]\n"),
            ":3:3: expected a worklog object on each line; found an array; nothing was written",
        ),
        (
            format!("{{\"worklogs\": [{good},\n 7]}}"),
            ":2:2: worklogs[1]: expected a worklog object; found a number; nothing was written",
        ),
        (String::new(), ": holds no worklogs: the file is empty"),
    ];
    for (data, want) in cases {
        let p = work.path().join("bad.json");
        std::fs::write(&p, &data).unwrap();
        let a = import(l.path(), &["jira-worklogs", p.to_str().unwrap(), "--apply"]).code(1);
        let e = stderr(&a);
        assert!(e.starts_with(&format!("error: {}{want}", p.display())), "{data:?}: {e}");
        assert_eq!(stdout(&a), "", "{data:?}");
        assert_eq!(tree(l.path()), before, "{data:?}");
    }
    let a = import(l.path(), &["jira-worklogs", "/no/such/file.json"]).code(1);
    assert!(stderr(&a).starts_with("error: cannot read /no/such/file.json: "), "{}", stderr(&a));
    let a = import(l.path(), &["jira", "x"]).code(2);
    assert!(stderr(&a).contains("invalid value 'jira'"), "{}", stderr(&a));
}

#[test]
fn a_failure_on_the_second_month_file_keeps_the_first_whole_and_a_rerun_completes() {
    let l = sd_ledger(&[(
        "timelog/2026-10.csv",
        "date,contract,minutes,note,ticket,engineer,kind,id\n2026-10-01,acme,5,by hand,,,,\n",
    )]);
    let work = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..30)
        .map(|i| {
            let month = [8, 9, 10][i % 3];
            jl(i as u32 + 1, &format!("2026-{month:02}-{:02}T10:00:00Z", i % 28 + 1), 60 * (i as u64 + 1), "x")
        })
        .collect();
    let f = write_export(work.path(), &lines);
    let october_before = timelog(l.path(), "2026-10");
    let a = run_with(
        tempfile::tempdir().unwrap().path(),
        &["--ledger", l.path().to_str().unwrap(), "import", "jira-worklogs", f.to_str().unwrap(), "--apply"],
        |c, _| {
            c.env("SUPPORTCTL_FAILPOINT", "write@2");
        },
    )
    .code(1);
    let e = stderr(&a);
    assert!(e.contains("cannot write timelog/2026-09.csv: injected failure (write@2); nothing was written"), "{e}");
    assert!(
        e.contains(
            "1 month file written, 2 not (timelog/2026-09.csv and the months after it); run the same import again"
        ),
        "{e}"
    );
    // August whole, September never created, October as it was.
    assert_eq!(timelog(l.path(), "2026-08").lines().count(), 11);
    assert!(!l.path().join("timelog/2026-09.csv").exists());
    assert_eq!(timelog(l.path(), "2026-10"), october_before);
    run_on(l.path(), &["check"]).success();
    // The re-run adds the rest, nothing twice.
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    assert!(stdout(&a).contains("adding 20 worklogs"), "{}", stdout(&a));
    assert_eq!(timelog(l.path(), "2026-08").lines().count(), 11);
    assert_eq!(timelog(l.path(), "2026-09").lines().count(), 11);
    assert_eq!(timelog(l.path(), "2026-10").lines().count(), 12);
    // October's hand-made column order is kept.
    assert!(
        timelog(l.path(), "2026-10")
            .lines()
            .nth(2)
            .unwrap()
            .starts_with("2026-10-03,acme,3,x,SD-4,Engineer 0,support,")
    );
    run_on(l.path(), &["check"]).success();
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap()]).success();
    assert!(stdout(&a).contains("nothing to add\n30 already in the ledger, 0 cannot be imported"), "{}", stdout(&a));
}

#[test]
fn the_ledgers_time_zone_decides_the_day_and_broken_settings_stop_the_import() {
    let work = tempfile::tempdir().unwrap();
    let f = write_export(work.path(), &[jl(1, "2026-11-30T23:30:00Z", 60, "")]);
    let l = sd_ledger(&[]);
    import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    assert!(timelog(l.path(), "2026-12").contains("\n2026-12-01,acme,1,"), "Berlin: the next day");
    let l = sd_ledger(&[("supportctl.toml", "timezone = \"America/New_York\"\n")]);
    import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    assert!(timelog(l.path(), "2026-11").contains("\n2026-11-30,acme,1,"), "New York: the same day");
    let l = sd_ledger(&[("contracts/beta.toml", "customer = \"B\"\ntier = \"25h\"\nstart = \"2026-01\"\n")]);
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).code(1);
    assert!(stderr(&a).contains("contracts/beta.toml:2:8: tier: unknown tier"), "{}", stderr(&a));
    assert!(stderr(&a).contains("error: cannot import: the settings or contracts have errors"), "{}", stderr(&a));
    let l = sd_ledger(&[("timelog/2026-11.csv", "date,contract,minutes,note\n2026-11-02,acme,5,\"open\n")]);
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap()]).code(1);
    assert!(stderr(&a).contains("error: cannot import: 1 error in the time log"), "{}", stderr(&a));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Import → `report` shows the hand sum of the worklogs, each rounded
    /// up to a whole minute and then to the contract's 15-minute
    /// increment, whatever the order of the worklogs in the file.
    #[test]
    fn imported_minutes_reach_the_report_in_any_order(
        worklogs in proptest::collection::vec((1u64..20_000, 1u32..=30, 0u32..24), 1..25),
        seed in any::<u64>(),
    ) {
        let l = small_ledger(&[(
            "contracts/acme.toml",
            format!("{ACME}rounding = \"15m\"\njira_projects = [\"SD\"]\n"),
        )]);
        let work = tempfile::tempdir().unwrap();
        let mut lines: Vec<String> = worklogs
            .iter()
            .enumerate()
            .map(|(i, (secs, day, hour))| jl(i as u32 + 1, &format!("2026-11-{day:02}T{hour:02}:15:00+01:00"), *secs, "p"))
            .collect();
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..lines.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            lines.swap(i, (s >> 33) as usize % (i + 1));
        }
        let f = write_export(work.path(), &lines);
        import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
        let want: u64 = worklogs.iter().map(|(secs, _, _)| secs.div_ceil(60).div_ceil(15) * 15).sum();
        let a = run_on(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success();
        let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
        let acme = r["contracts"].as_array().unwrap().iter().find(|c| c["contract"] == "acme").unwrap().clone();
        prop_assert_eq!(acme["used_minutes"].as_u64().unwrap(), want);
        run_on(l.path(), &["check"]).success();
    }
}

#[test]
fn worklogs_imported_before_stay_there_when_their_project_maps_differently_now() {
    let l = sd_ledger(&[]);
    let work = tempfile::tempdir().unwrap();
    let one = jl(1, "2026-11-02T09:00:00Z", 1800, "a");
    let f = write_export(work.path(), std::slice::from_ref(&one));
    import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    let after_first = tree(l.path());
    // Given twice and there already: counted once.
    let twice = write_export(work.path(), &[one.clone(), one.clone()]);
    let a = import(l.path(), &["jira-worklogs", twice.to_str().unwrap(), "--apply"]).success();
    assert!(stdout(&a).contains("nothing to add\n1 already in the ledger, 0 cannot be imported\n"), "{}", stdout(&a));
    assert!(stdout(&a).contains("note: 1 worklog given twice in the file, counted once"), "{}", stdout(&a));
    assert_eq!(tree(l.path()), after_first);
    // A second contract lists SD too: new SD worklogs are refused, but the
    // one imported before is there, so re-importing the file adds nothing
    // and is not a failure. Given twice, it is counted once.
    write(
        l.path(),
        "contracts/gamma.toml",
        "customer = \"G\"\ntier = \"16h\"\nstart = \"2026-01\"\njira_projects = [\"SD\"]\n",
    );
    let f = write_export(work.path(), &[one.clone(), one]);
    let a = import(l.path(), &["jira-worklogs", f.to_str().unwrap(), "--apply"]).success();
    let out = stdout(&a);
    assert!(out.contains("nothing to add\n1 already in the ledger, 0 cannot be imported\n"), "{out}");
    assert!(out.contains("note: 1 worklog given twice in the file, counted once"), "{out}");
    assert!(
        out.contains("note: 1 worklog (0:30) already in the ledger whose project no single contract lists now"),
        "{out}"
    );
    let mut now = tree(l.path());
    now.retain(|p, _| !p.ends_with("gamma.toml"));
    assert_eq!(now, after_first, "nothing written");
}
