//! Worklogs from Jira or Tempo (SPEC §11) as plain values: what `read::import`
//! makes of an export and what `compute::import` plans from, and the time-log
//! row an import writes. No parsing and no I/O here.

use std::fmt;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Where worklogs come from: the FORMAT argument of `import`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Jira REST API v2 or v3 worklog objects.
    JiraWorklogs,
    /// Tempo Timesheets Server REST v3 worklogs.
    Tempo,
}

impl Source {
    /// The prefix of the text whose digest is a row id (`jira:<id>`).
    pub fn prefix(self) -> &'static str {
        match self {
            Source::JiraWorklogs => "jira",
            Source::Tempo => "tempo",
        }
    }

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Source::JiraWorklogs => "jira-worklogs",
            Source::Tempo => "tempo",
        }
    }
}

/// The row id of worklog `id` from `source`: the first 128 bits of
/// SHA-256 of `jira:<id>` or `tempo:<id>`, big-endian. Written as a ULID
/// (26 Crockford base-32 characters; any 128-bit number is one), it is the
/// same on every machine that imports the same worklog.
pub fn row_id(source: Source, id: &str) -> u128 {
    let mut h = Sha256::new();
    h.update(source.prefix().as_bytes());
    h.update(b":");
    h.update(id.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// Where a worklog stands in its file: its line in JSON lines, its index
/// (from 0) in a JSON array, bare or in an object's `worklogs` array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    Line(usize),
    Index { wrapped: bool, index: usize },
}

impl fmt::Display for Position {
    /// `line 12`, `[3]` or `worklogs[3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(l) => write!(f, "line {l}"),
            Position::Index { wrapped: true, index } => write!(f, "worklogs[{index}]"),
            Position::Index { wrapped: false, index } => write!(f, "[{index}]"),
        }
    }
}

/// How a worklog names its issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueRef {
    /// `issueKey` or `issue.key`, e.g. `SD-1234`.
    Key(String),
    /// Only `issueId` (plain REST exports): looked up in `--issues FILE`.
    Id(String),
    Missing,
}

/// One worklog, read and checked for form (not yet for the ledger).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worklog {
    pub pos: Position,
    /// The worklog's own id in Jira or Tempo, as text.
    pub source_id: String,
    /// [`row_id`] of it.
    pub id: u128,
    pub issue: IssueRef,
    /// The author's display name, cleaned for a CSV cell (shared by all
    /// worklogs of one author).
    pub engineer: std::sync::Arc<str>,
    /// The comment as one line of plain text.
    pub note: String,
    /// The note was cut to the longest cell the time log takes.
    pub note_cut: bool,
    /// The day of `started` in the ledger's time zone (or the written date
    /// of a local time without offset).
    pub day: NaiveDate,
    pub seconds: u64,
    /// Written into Jira by the Tempo app (author account type `app`).
    pub by_app: bool,
}

impl Worklog {
    /// Minutes = seconds / 60 rounded up (SPEC §11).
    pub fn minutes(&self) -> u64 {
        self.seconds.div_ceil(60)
    }
}

/// What the reader makes of one element of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Worklog(Worklog),
    /// An object with a field missing or of the wrong kind: this worklog
    /// cannot be imported, the others can.
    Unreadable {
        pos: Position,
        source_id: Option<String>,
        message: String,
    },
}

impl Item {
    pub fn pos(&self) -> Position {
        match self {
            Item::Worklog(w) => w.pos,
            Item::Unreadable { pos, .. } => *pos,
        }
    }
}

/// The time-log columns an import fills, as the cells hold them: compared
/// with a row already in the ledger to tell "already imported" from
/// "changed upstream".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelogRow {
    pub date: String,
    pub contract: String,
    pub minutes: String,
    pub ticket: String,
    /// `support`; an empty cell reads as `support` too.
    pub kind: String,
    pub engineer: String,
    pub note: String,
}

/// A fingerprint of the cells an import writes (SipHash with fixed keys:
/// the same within one run), so that a row already in the ledger can be
/// compared without keeping its text: `kind` empty counts as `support`.
pub fn fingerprint(cells: [&str; 7]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for (i, c) in cells.iter().enumerate() {
        let c = if i == 4 && c.is_empty() { "support" } else { c };
        c.hash(&mut h);
    }
    h.finish()
}

/// A row of the time log with an id an import would give: where it stands
/// and the [`fingerprint`] of its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// `timelog/2026-11.csv`, shared by the rows of one file.
    pub file: std::sync::Arc<str>,
    /// The line (32 bits: the import holds one of these per worklog).
    pub line: u32,
    pub fingerprint: u64,
    /// Set by the import plan once a worklog of the file has been counted as
    /// this row (a worklog the file gives twice is counted once).
    pub counted: std::cell::Cell<bool>,
}

/// A row of the time log whose id an import would give, where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// `timelog/2026-11.csv`.
    pub file: String,
    pub line: usize,
    pub row: TimelogRow,
}

impl TimelogRow {
    /// [`fingerprint`] of the cells.
    pub fn fingerprint(&self) -> u64 {
        fingerprint([&self.date, &self.contract, &self.minutes, &self.ticket, &self.kind, &self.engineer, &self.note])
    }

    /// Equal in every column an import writes (an empty `kind` is `support`).
    pub fn same_as(&self, other: &TimelogRow) -> bool {
        let kind = |k: &str| if k.is_empty() { "support".to_string() } else { k.to_string() };
        self.date == other.date
            && self.contract == other.contract
            && self.minutes == other.minutes
            && self.ticket == other.ticket
            && kind(&self.kind) == kind(&other.kind)
            && self.engineer == other.engineer
            && self.note == other.note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_ids_are_the_first_128_bits_of_sha256_as_a_ulid() {
        // sha256("jira:11670") computed independently (sha256sum).
        let id = row_id(Source::JiraWorklogs, "11670");
        assert_eq!(format!("{id:032x}"), "b054e7a194bc5eb7a6a344cb97182b6d");
        // The same number in Crockford base 32 (computed with Python).
        let text = ulid::Ulid(id).to_string();
        assert_eq!(text, "5GAKKT355WBTVTD8T4SEBHGAVD");
        assert_eq!(ulid::Ulid::from_string(&text).map(|u| u.0), Ok(id));
        assert_ne!(row_id(Source::Tempo, "11670"), id);
        assert_eq!(row_id(Source::JiraWorklogs, "11670"), id);
    }

    #[test]
    fn positions_and_minutes() {
        assert_eq!(Position::Line(7).to_string(), "line 7");
        assert_eq!(Position::Index { wrapped: true, index: 3 }.to_string(), "worklogs[3]");
        assert_eq!(Position::Index { wrapped: false, index: 0 }.to_string(), "[0]");
        let mut w = Worklog {
            pos: Position::Line(1),
            source_id: "1".into(),
            id: 1,
            issue: IssueRef::Missing,
            engineer: "".into(),
            note: String::new(),
            note_cut: false,
            day: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            seconds: 9480,
            by_app: false,
        };
        assert_eq!(w.minutes(), 158);
        w.seconds = 61;
        assert_eq!(w.minutes(), 2);
        w.seconds = 60;
        assert_eq!(w.minutes(), 1);
    }
}
