//! The export reader on the real samples (each with its trap, see
//! `tests/data/import-samples/README.md`) and on every shape and fault.

use super::*;
use crate::model::worklog::{IssueRef, Item, Position, Source};

const V3: &[u8] = include_bytes!("../../../tests/data/import-samples/jira-cloud-rest-v3-worklogs.airbyte.jsonl");
const V2: &[u8] = include_bytes!("../../../tests/data/import-samples/jira-cloud-rest-v2-worklogs.devlake.jsonl");
const TEMPO: &[u8] = include_bytes!("../../../tests/data/import-samples/tempo-server-rest-v3-worklogs.go-jira.json");

fn items(source: Source, data: &[u8]) -> Result<Vec<Item>, FileError> {
    let mut out = Vec::new();
    read(source, data, chrono_tz::Europe::Berlin, |i| out.push(i))?;
    Ok(out)
}

fn worklogs(source: Source, data: &[u8]) -> Vec<Worklog> {
    items(source, data)
        .unwrap()
        .into_iter()
        .map(|i| match i {
            Item::Worklog(w) => w,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn jira(data: &str) -> Result<Vec<Item>, FileError> {
    items(Source::JiraWorklogs, data.as_bytes())
}

#[test]
fn jira_v3_sample_adf_comment_offset_without_colon_and_the_tempo_app() {
    let w = worklogs(Source::JiraWorklogs, V3);
    assert_eq!(w.len(), 2);
    // 18:48 -0700 on the 14th is the 15th in Berlin.
    assert_eq!((w[0].source_id.as_str(), w[0].day.to_string()), ("11670", "2021-04-15".into()));
    assert_eq!((w[0].seconds, w[0].minutes()), (9480, 158));
    assert_eq!(w[0].note, "I did some work here. 3");
    assert_eq!(&*w[0].engineer, "integration test");
    assert_eq!(w[0].issue, IssueRef::Id("10030".into()));
    assert!(!w[0].by_app);
    assert_eq!(w[0].pos, Position::Line(1));
    // Written by the Tempo app: marked, so that the plan skips it.
    assert!(w[1].by_app);
    assert_eq!((&*w[1].engineer, w[1].day.to_string()), ("Tempo Timesheets", "2021-01-27".into()));
    assert_eq!(w[1].id, crate::model::worklog::row_id(Source::JiraWorklogs, "10001"));
}

#[test]
fn jira_v2_sample_plain_comments_line_breaks_days_and_working_days() {
    let w = worklogs(Source::JiraWorklogs, V2);
    let days: Vec<String> = w.iter().map(|w| w.day.to_string()).collect();
    assert_eq!(days, ["2020-06-05", "2020-11-19", "2021-01-11", "2021-01-19"]);
    // "1d 2h" on an 8-hour-day site is 36,000 s: 600 minutes, not 26 hours.
    let minutes: Vec<u64> = w.iter().map(Worklog::minutes).collect();
    assert_eq!(minutes, [600, 480, 180, 60]);
    assert_eq!(w[0].note, "", "no comment");
    assert_eq!(
        w[2].note,
        "修复数据库结构变更造成之前查询无效的问题. * 事务重开次数 * 事务返工时间 * bugs数/千开发当量 * jira配置选项"
    );
    assert_eq!(w[3].note, "* 编写prometheus的配置脚本, 提交到repo.");
    assert_eq!(&*w[2].engineer, "Engineer B");
    assert!(w.iter().all(|w| !w.by_app && matches!(w.issue, IssueRef::Id(_))));
}

#[test]
fn tempo_sample_local_times_numeric_ids_and_keys() {
    let w = worklogs(Source::Tempo, TEMPO);
    assert_eq!(w.len(), 2);
    // 20:40 without an offset is the worker's own evening: the written date.
    assert_eq!(w[0].day.to_string(), "2018-04-08");
    assert_eq!(w[0].source_id, "16210");
    assert_eq!(w[0].id, crate::model::worklog::row_id(Source::Tempo, "16210"));
    assert_eq!(w[0].issue, IssueRef::Key("SLRM-200".into()));
    assert_eq!((w[0].minutes(), w[1].minutes()), (480, 180));
    assert_eq!(w[1].note, "DevOps'ing");
    assert_eq!(&*w[1].engineer, "Engineer One");
    assert_eq!(w[1].pos, Position::Index { wrapped: false, index: 1 });
}

#[test]
fn the_three_shapes_give_the_same_worklogs() {
    let one =
        r#"{"id":"1","issueKey":"SD-1","started":"2026-11-02T10:00:00.000+0100","timeSpentSeconds":61,"comment":"a"}"#;
    let two = r#"{"id":2,"issue":{"key":"SD-2"},"started":"2026-11-03T10:00:00Z","timeSpentSeconds":3600}"#;
    let shapes = [
        format!("{one}\n\n{two}\n"),
        format!("{one}\r\n{two}"),
        format!("\u{feff}[{one},\n {two}]"),
        format!("{{\"startAt\":0,\"worklogs\":[{one},{two}],\"total\":2}}"),
        format!("{{\n  \"worklogs\": [\n{one},\n{two}\n  ]\n}}\n"),
        format!("\n  \n[\n{one},\n{two}\n]\n"),
    ];
    let strip = |items: Vec<Item>| -> Vec<(String, String, u64)> {
        items
            .into_iter()
            .map(|i| match i {
                Item::Worklog(w) => (w.source_id.clone(), w.day.to_string(), w.minutes()),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let want = vec![("1".to_string(), "2026-11-02".to_string(), 2), ("2".into(), "2026-11-03".into(), 60)];
    for s in &shapes {
        assert_eq!(strip(jira(s).unwrap_or_else(|e| panic!("{s}: {e}"))), want, "{s}");
    }
    let lines = jira(&shapes[0]).unwrap();
    assert_eq!((lines[0].pos(), lines[1].pos()), (Position::Line(1), Position::Line(3)));
    let wrapped = jira(&shapes[4]).unwrap();
    assert_eq!(wrapped[1].pos(), Position::Index { wrapped: true, index: 1 });
}

#[test]
fn malformed_files_are_errors_with_their_place() {
    let ok = r#"{"id":"1","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#;
    let cases = [
        ("", "input: holds no worklogs: the file is empty"),
        ("\n \n", "input: holds no worklogs"),
        (&format!("{ok}\n{{\"id\": 2,\n"), "input:2:"),
        (
            &format!("{ok}\nnot json\n"),
            "input:2:1: expected a worklog object on each line; found text that is not JSON",
        ),
        (&format!("{ok}\n[1]\n"), "input:2:1: expected a worklog object on each line; found an array"),
        (&format!("{ok}\n  42\n"), "input:2:3: expected a worklog object on each line; found a number"),
        (&format!("{ok} {ok}\n"), "input:1:"),
        ("\"worklogs\"", "input:1:1: expected a JSON array of worklogs"),
        (&format!("[{ok},\n 5]"), "input:2:2: [1]: expected a worklog object; found a number"),
        (&format!("{{\"worklogs\": [{ok}, null]}}"), "input:1:100: worklogs[1]: expected a worklog object; found null"),
        (&format!("{{\n\"values\": [{ok}]}}"), "input:1:1: an object without a \"worklogs\" array"),
        (&format!("{{\"worklogs\": {ok}}}"), "input:1:"),
        (&format!("[{ok},\n{ok}"), "input:2:"),
        (&format!("{{\n\"worklogs\": [{ok}]\n}}\nx"), "input:4:1: trailing characters"),
    ];
    for (data, want) in cases {
        match jira(data) {
            Err(e) => assert!(e.to_string().starts_with(want), "{data:?}: {e} does not start with {want}"),
            Ok(items) => panic!("{data:?} read as {items:?}"),
        }
    }
}

#[test]
fn an_object_with_a_field_missing_or_of_the_wrong_kind_is_one_unreadable_worklog() {
    let good = r#"{"id":"9","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#;
    let cases = [
        (
            r#"{"issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            None,
            "unreadable field id: missing or empty",
        ),
        (
            r#"{"id":"","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            None,
            "unreadable field id: missing or empty",
        ),
        (
            r#"{"id":1.5,"started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            None,
            "unreadable field id: invalid type: floating point `1.5`, expected an id (a string or a whole number)",
        ),
        (r#"{"id":"3","issueKey":"SD-1","timeSpentSeconds":60}"#, Some("3"), "unreadable field started: missing"),
        (
            r#"{"id":"3","issueKey":"SD-1","started":"yesterday","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field started: \"yesterday\" is not a time",
        ),
        (
            r#"{"id":"3","issueKey":"SD-1","started":5,"timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field started: invalid type: integer `5`, expected a string",
        ),
        (
            r#"{"id":"3","issueKey":"SD-1","started":"2026-11-02T10:00:00Z"}"#,
            Some("3"),
            "unreadable field timeSpentSeconds: missing",
        ),
        (
            r#"{"id":"3","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":"60"}"#,
            Some("3"),
            "unreadable field timeSpentSeconds: invalid type: string \"60\", expected i64",
        ),
        (
            r#"{"id":"3","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":-5}"#,
            Some("3"),
            "unreadable field timeSpentSeconds: -5 is negative",
        ),
        (
            r#"{"id":"3","issueKey":"SD-1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":360000000}"#,
            Some("3"),
            "unreadable field timeSpentSeconds: 360000000 is more than 1000 hours",
        ),
        (
            r#"{"id":"3","issueKey":"SD 1","started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field issueKey: \"SD 1\" is not an issue key",
        ),
        (
            r#"{"id":"3","issue":{"key":7},"started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field issue.key: invalid type: integer `7`, expected a string",
        ),
        (
            r#"{"id":"3","author":{"displayName":["x"]},"started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field author.displayName: invalid type: sequence",
        ),
        (
            r#"{"id":"3","comment":{"type":"doc","content":[{"type":"text","text":5}]},"started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field comment.content[0].text: invalid type: integer `5`",
        ),
        (
            r#"{"id":3,"comment":7,"started":"2026-11-02T10:00:00Z","timeSpentSeconds":60}"#,
            Some("3"),
            "unreadable field comment: invalid type: integer `7`, expected a comment",
        ),
    ];
    for (bad, id, want) in cases {
        let data = format!("{good}\n{bad}\n{good}\n");
        let got = jira(&data).unwrap_or_else(|e| panic!("{bad}: {e}"));
        assert_eq!(got.len(), 3, "{bad}");
        assert!(matches!(got[0], Item::Worklog(_)) && matches!(got[2], Item::Worklog(_)), "{bad}");
        match &got[1] {
            Item::Unreadable { pos, source_id, message } => {
                assert_eq!(*pos, Position::Line(2), "{bad}");
                assert_eq!(source_id.as_deref(), id, "{bad}");
                assert!(message.starts_with(want), "{bad}: {message} does not start with {want}");
            }
            other => panic!("{bad}: {other:?}"),
        }
        // In an array the field is named by its path.
        let data = format!("{{\"worklogs\": [{good}, {bad}]}}");
        let got = jira(&data).unwrap();
        let Item::Unreadable { message, .. } = &got[1] else { panic!("{bad}") };
        let field = want.trim_start_matches("unreadable field ").split(':').next().unwrap();
        if want.contains("invalid type") {
            assert!(message.starts_with(&format!("unreadable field worklogs[1].{field}:")), "{message}");
        }
    }
}

#[test]
fn tempo_without_key_falls_back_to_the_issue_id_or_none() {
    let data = r#"[{"id":1,"issue":{"id":139440},"dateStarted":"2018-04-08T20:40:00.000","timeSpentSeconds":60},
                  {"id":2,"dateStarted":"2018-04-08T20:40:00.000Z","timeSpentSeconds":60,"author":{"name":"e1"}}]"#;
    let w = worklogs(Source::Tempo, data.as_bytes());
    assert_eq!(w[0].issue, IssueRef::Id("139440".into()));
    assert_eq!(w[1].issue, IssueRef::Missing);
    assert_eq!(&*w[1].engineer, "e1");
    // With an offset it is an instant again: 20:40 UTC is 22:40 in Berlin, same day.
    assert_eq!(w[1].day.to_string(), "2018-04-08");
}
