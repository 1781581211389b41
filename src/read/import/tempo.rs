//! Tempo Timesheets Server REST v3 worklogs (`/rest/tempo-timesheets/3/
//! worklogs`): `dateStarted` is the worker's local time without an offset,
//! the id is a number, `issue.key` names the issue.

use serde::Deserialize;

use super::adf::Comment;
use super::{Author, Fields, IdText, IssueField};
use crate::model::worklog::IssueRef;

/// One Tempo Server worklog as exported; every other field is skipped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TempoWorklog {
    #[serde(default)]
    id: Option<IdText>,
    #[serde(default)]
    issue: Option<IssueField>,
    #[serde(default)]
    author: Option<Author>,
    #[serde(default)]
    comment: Comment,
    #[serde(default)]
    date_started: Option<String>,
    #[serde(default)]
    time_spent_seconds: Option<i64>,
}

impl TempoWorklog {
    pub(super) fn fields(self) -> Fields {
        let issue = match self.issue {
            Some(IssueField { key: Some(k), .. }) => IssueRef::Key(k),
            Some(IssueField { id: Some(id), .. }) => IssueRef::Id(id.0),
            _ => IssueRef::Missing,
        };
        Fields {
            id: self.id.map(|i| i.0),
            issue,
            key_field: "issue.key",
            engineer: self.author.and_then(Author::shown_name).unwrap_or_default(),
            comment: self.comment,
            started: self.date_started,
            started_field: "dateStarted",
            seconds: self.time_spent_seconds,
            // Tempo's own worklogs are the real ones; only Jira holds the
            // copies the Tempo app writes.
            by_app: false,
        }
    }
}
