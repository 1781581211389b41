//! Jira REST API v2 and v3 worklog objects (`GET /rest/api/{2,3}/issue/
//! {key}/worklog`, or the worklogs of `/worklog/list`): typed, with every
//! field we use optional so that a missing one is named, not fatal.

use serde::Deserialize;

use super::adf::Comment;
use super::{Author, Fields, IdText, IssueField};
use crate::model::worklog::IssueRef;

/// One Jira worklog as exported; every other field is skipped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraWorklog {
    #[serde(default)]
    id: Option<IdText>,
    /// Exports made per issue add the key; plain REST worklogs carry only
    /// `issueId`.
    #[serde(default)]
    issue_key: Option<String>,
    #[serde(default)]
    issue: Option<IssueField>,
    #[serde(default)]
    issue_id: Option<IdText>,
    #[serde(default)]
    author: Option<Author>,
    #[serde(default)]
    comment: Comment,
    #[serde(default)]
    started: Option<String>,
    #[serde(default)]
    time_spent_seconds: Option<i64>,
}

impl JiraWorklog {
    pub(super) fn fields(self) -> Fields {
        let (issue, key_field) = if let Some(k) = self.issue_key {
            (IssueRef::Key(k), "issueKey")
        } else if let Some(k) = self.issue.as_ref().and_then(|i| i.key.clone()) {
            (IssueRef::Key(k), "issue.key")
        } else if let Some(id) = self.issue_id.or(self.issue.and_then(|i| i.id)) {
            (IssueRef::Id(id.0), "issueId")
        } else {
            (IssueRef::Missing, "issueKey")
        };
        let by_app = self.author.as_ref().and_then(|a| a.account_type.as_deref()) == Some("app");
        Fields {
            id: self.id.map(|i| i.0),
            issue,
            key_field,
            engineer: self.author.and_then(Author::shown_name).unwrap_or_default(),
            comment: self.comment,
            started: self.started,
            started_field: "started",
            seconds: self.time_spent_seconds,
            by_app,
        }
    }
}
