//! Worklog exports (SPEC §11) → [`Item`]s: `jira-worklogs` (Jira REST v2/v3
//! worklog objects) and `tempo` (Tempo Server REST v3), each as a JSON
//! array, an object with a `worklogs` array, or JSON lines (one object per
//! line). JSON lines are streamed line by line; an array or object is read
//! whole (the elements are parsed one by one from borrowed slices).
//!
//! What is a file error and what is one worklog's problem:
//! - the file is not JSON (a syntax error, at its line and column), is not
//!   one of the three shapes, or an element is not an object (named by its
//!   line or its path such as `worklogs[3]`): [`FileError`], nothing of the
//!   file may be imported;
//! - an object lacking a field we need or holding one of the wrong kind
//!   (`started` not a time, `timeSpentSeconds` a string): that worklog is an
//!   [`Item::Unreadable`] at its line or index, the others go on.
//!
//! Also here: the `--issues FILE` reader ([`issues`]) and the scan of the
//! time log for rows already imported ([`existing`]).

pub mod adf;
pub mod existing;
pub mod issues;
pub mod jira;
pub mod started;
pub mod tempo;

use std::fmt;
use std::io::BufRead;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::value::RawValue;

use crate::model::amount::MAX_DURATION_MINUTES;
use crate::model::worklog::{IssueRef, Item, Position, Source, Worklog, row_id};
use adf::Comment;

/// The file cannot be imported at all: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The element concerned, e.g. `worklogs[3]`.
    pub at: Option<String>,
    pub message: String,
}

impl FileError {
    fn at_line(line: usize, column: Option<usize>, message: impl Into<String>) -> FileError {
        FileError { line: Some(line), column, at: None, message: message.into() }
    }

    /// `FILE:3:17: message` or `FILE:12:5: worklogs[3]: message`.
    pub fn show(&self, file: &str) -> String {
        let mut s = file.to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s.push_str(": ");
        if let Some(at) = &self.at {
            s.push_str(&format!("{at}: "));
        }
        s.push_str(&crate::read::problem::visible(&self.message));
        s
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show("input"))
    }
}

/// The three shapes an export may have, for messages.
pub const SHAPES: &str =
    "a JSON array of worklogs, an object with a \"worklogs\" array, or one worklog object per line";

/// A worklog or issue id: a string or a whole number, kept as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdText(pub String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<IdText, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (a string or a whole number)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<IdText, E> {
                Ok(IdText(s.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<IdText, E> {
                Ok(IdText(n.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `issue: {"id": …, "key": "SD-12"}`.
#[derive(Debug, Deserialize)]
pub struct IssueField {
    #[serde(default)]
    pub id: Option<IdText>,
    #[serde(default)]
    pub key: Option<String>,
}

/// `author`: Jira Cloud has `displayName` and `accountType`, Jira and
/// Tempo Server `displayName` and `name`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub account_type: Option<String>,
}

impl Author {
    fn shown_name(self) -> Option<String> {
        self.display_name.filter(|n| !n.trim().is_empty()).or(self.name)
    }
}

/// What both formats give, before it is checked.
pub(crate) struct Fields {
    id: Option<String>,
    issue: IssueRef,
    /// The field the key came from (or would have), for messages.
    key_field: &'static str,
    engineer: String,
    comment: Comment,
    started: Option<String>,
    started_field: &'static str,
    seconds: Option<i64>,
    by_app: bool,
}

/// A format's typed worklog.
trait Raw: DeserializeOwned {
    fn fields(self) -> Fields;
}

impl Raw for jira::JiraWorklog {
    fn fields(self) -> Fields {
        jira::JiraWorklog::fields(self)
    }
}

impl Raw for tempo::TempoWorklog {
    fn fields(self) -> Fields {
        tempo::TempoWorklog::fields(self)
    }
}

/// Whether `key` looks like an issue key: a project key, `-`, digits.
pub fn valid_issue_key(key: &str) -> bool {
    key.split_once('-').is_some_and(|(p, n)| {
        crate::read::contracts::valid_project(p) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Author names seen so far: one shared string per author.
#[derive(Default)]
struct Names(std::collections::HashMap<String, std::sync::Arc<str>>);

impl Names {
    fn get(&mut self, raw: &str) -> std::sync::Arc<str> {
        if let Some(n) = self.0.get(raw) {
            return n.clone();
        }
        let shared: std::sync::Arc<str> = adf::one_line(raw).0.into();
        if self.0.len() < 10_000 {
            self.0.insert(raw.to_string(), shared.clone());
        }
        shared
    }
}

/// Checks the form of one worklog's fields.
fn check(f: Fields, pos: Position, source: Source, tz: chrono_tz::Tz, names: &mut Names) -> Item {
    let unreadable = |id: Option<&str>, message: String| Item::Unreadable {
        pos,
        source_id: id.map(str::to_string),
        message: format!("unreadable field {message}"),
    };
    let Some(source_id) = f.id.filter(|i| !i.trim().is_empty()) else {
        return unreadable(None, "id: missing or empty".into());
    };
    let sid = Some(source_id.as_str());
    if let IssueRef::Key(k) = &f.issue
        && !valid_issue_key(k)
    {
        return unreadable(sid, format!("{}: \"{k}\" is not an issue key (such as SD-123)", f.key_field));
    }
    let Some(text) = f.started else { return unreadable(sid, format!("{}: missing", f.started_field)) };
    let Some(start) = started::parse(&text) else {
        return unreadable(sid, format!("{}: \"{text}\" is not a time ({})", f.started_field, started::FORMS));
    };
    let seconds = match f.seconds {
        None => return unreadable(sid, "timeSpentSeconds: missing".into()),
        Some(s) if s < 0 => return unreadable(sid, format!("timeSpentSeconds: {s} is negative")),
        Some(s) if s as u64 > MAX_DURATION_MINUTES * 60 => {
            return unreadable(
                sid,
                format!("timeSpentSeconds: {s} is more than {} hours in one worklog", MAX_DURATION_MINUTES / 60),
            );
        }
        Some(s) => s as u64,
    };
    let (mut note, note_cut) = adf::one_line(&f.comment.raw_text());
    note.shrink_to_fit();
    let engineer = names.get(&f.engineer);
    Item::Worklog(Worklog {
        pos,
        id: row_id(source, &source_id),
        source_id,
        issue: f.issue,
        engineer,
        note,
        note_cut,
        day: start.day(tz),
        seconds,
        by_app: f.by_app,
    })
}

/// The text of a serde_json error without its ` at line L column C`.
fn bare(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rsplit_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => s,
    }
}

/// A syntax error in `text`, which starts on line `first` of the file, at
/// its editor's line and column. serde_json puts an error at the end of
/// the text after its last line break (column 0 of a line that is not
/// there): that is the end of the line before.
fn syntax_error(text: &[u8], first: usize, e: &serde_json::Error) -> FileError {
    let (mut line, mut column) = (e.line().max(1), e.column());
    if column == 0 {
        if line > 1 {
            line -= 1;
        }
        let last = text.split(|&b| b == b'\n').nth(line - 1).unwrap_or_default();
        let last = last.strip_suffix(b"\r").unwrap_or(last);
        column = String::from_utf8_lossy(last).chars().count() + 1;
    }
    FileError::at_line(first + line - 1, Some(column), bare(e))
}

/// What kind of JSON value `text` starts with, for messages.
fn kind_of(text: &[u8]) -> &'static str {
    match text.first() {
        Some(b'[') => "an array",
        Some(b'{') => "an object",
        Some(b'"') => "a string",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ if text.starts_with(b"true") || text.starts_with(b"false") => "a boolean",
        _ if text.starts_with(b"null") => "null",
        _ => "text that is not JSON",
    }
}

fn first_byte(bytes: &[u8]) -> Option<(usize, u8)> {
    bytes.iter().copied().enumerate().find(|(_, b)| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// One element of an export. `Err` when it is not an object or (JSON
/// lines) not JSON: then the file cannot be imported.
fn element<T: Raw>(
    bytes: &[u8],
    pos: Position,
    path: &str,
    source: Source,
    tz: chrono_tz::Tz,
    names: &mut Names,
) -> Result<Item, ElementError> {
    match first_byte(bytes) {
        Some((_, b'{')) => {}
        Some((at, _)) => return Err(ElementError::NotObject { at, found: kind_of(&bytes[at..]) }),
        None => return Err(ElementError::NotObject { at: 0, found: "nothing" }),
    }
    match serde_json::from_slice::<T>(bytes) {
        Ok(raw) => Ok(check(raw.fields(), pos, source, tz, names)),
        Err(e) if e.is_data() => {
            // Parsed again to learn which field: only for worklogs that fail.
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let (field, message) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(pe) => (pe.path().to_string(), bare(pe.inner())),
                Ok(_) => (".".to_string(), bare(&e)),
            };
            let field = match (path, field.as_str()) {
                ("", ".") => "(the worklog)".to_string(),
                ("", f) => f.to_string(),
                (p, ".") => p.to_string(),
                (p, f) => format!("{p}.{f}"),
            };
            Ok(Item::Unreadable {
                pos,
                source_id: id_of(bytes),
                message: format!("unreadable field {field}: {message}"),
            })
        }
        Err(e) => Err(ElementError::Syntax(e)),
    }
}

/// The `id` of an object that did not read, where it has one.
fn id_of(bytes: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        id: Option<adf::AnyText>,
    }
    #[derive(Deserialize)]
    struct NumProbe {
        id: u64,
    }
    if let Ok(n) = serde_json::from_slice::<NumProbe>(bytes) {
        return Some(n.id.to_string());
    }
    serde_json::from_slice::<Probe>(bytes).ok().and_then(|p| p.id).and_then(|t| t.0)
}

enum ElementError {
    NotObject { at: usize, found: &'static str },
    Syntax(serde_json::Error),
}

/// Reads an export of `source` from `input`, calling `each` for every
/// worklog in file order; `tz` is the ledger's time zone (the day of a
/// worklog). Stops at the first file error: the items passed so far must
/// then not be imported.
pub fn read<R: BufRead>(source: Source, input: R, tz: chrono_tz::Tz, each: impl FnMut(Item)) -> Result<(), FileError> {
    match source {
        Source::JiraWorklogs => read_as::<jira::JiraWorklog, R>(source, input, tz, each),
        Source::Tempo => read_as::<tempo::TempoWorklog, R>(source, input, tz, each),
    }
}

fn io_error(e: std::io::Error) -> FileError {
    FileError { line: None, column: None, at: None, message: format!("cannot read: {e}") }
}

fn read_as<T: Raw, R: BufRead>(
    source: Source,
    mut input: R,
    tz: chrono_tz::Tz,
    each: impl FnMut(Item),
) -> Result<(), FileError> {
    // Everything up to the first line that is not blank.
    let mut head: Vec<u8> = Vec::new();
    let mut line_no = 0;
    let (start, first) = loop {
        let from = head.len();
        if input.read_until(b'\n', &mut head).map_err(io_error)? == 0 {
            return Err(FileError {
                line: None,
                column: None,
                at: None,
                message: format!("holds no worklogs: the file is empty (expected {SHAPES})"),
            });
        }
        line_no += 1;
        if line_no == 1 && head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        if let Some((at, b)) = first_byte(&head[from..]) {
            break (from, (at, b));
        }
    };
    let line = &head[start..];
    match first.1 {
        b'[' => {
            input.read_to_end(&mut head).map_err(io_error)?;
            document::<T>(&head, source, tz, each)
        }
        b'{' => match serde_json::from_slice::<de::IgnoredAny>(line) {
            Ok(_) if has_worklogs(line) => {
                input.read_to_end(&mut head).map_err(io_error)?;
                document::<T>(&head, source, tz, each)
            }
            Ok(_) => lines::<T, R>(source, input, tz, each, line.to_vec(), line_no),
            // A value that goes on past its first line: one document.
            Err(e) if e.is_eof() => {
                input.read_to_end(&mut head).map_err(io_error)?;
                document::<T>(&head, source, tz, each)
            }
            Err(e) => Err(syntax_error(line, line_no, &e)),
        },
        _ => Err(FileError::at_line(
            line_no,
            Some(first.0 + 1),
            format!("expected {SHAPES}; found {}", kind_of(&line[first.0..])),
        )),
    }
}

/// Whether a one-line object is the `{"worklogs": [...]}` wrapper.
fn has_worklogs(line: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        worklogs: Option<de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(line).is_ok_and(|p| p.worklogs.is_some())
}

/// JSON lines: `first` was line `first_no`; the rest is read in batches of
/// whole lines, each batch parsed in two halves on two threads (parsing is
/// most of an import's time), the items passed on in file order.
fn lines<T: Raw, R: BufRead>(
    source: Source,
    mut input: R,
    tz: chrono_tz::Tz,
    mut each: impl FnMut(Item),
    first: Vec<u8>,
    first_no: usize,
) -> Result<(), FileError> {
    let mut batch: Vec<u8> = first;
    // Each line of the batch: its number and where it ends in `batch`.
    let mut ends: Vec<(usize, usize)> = vec![(first_no, batch.len())];
    let mut no = first_no;
    let mut names = [Names::default(), Names::default()];
    loop {
        let more = if batch.len() < BATCH_BYTES {
            let n = input.read_until(b'\n', &mut batch).map_err(io_error)?;
            if n > 0 {
                no += 1;
                ends.push((no, batch.len()));
            }
            n > 0
        } else {
            true
        };
        if batch.len() >= BATCH_BYTES || !more {
            let half = ends.len() / 2;
            let (a, b) = ends.split_at(half);
            let split = a.last().map_or(0, |&(_, end)| end);
            let [na, nb] = &mut names;
            let (first_half, second_half) = std::thread::scope(|s| {
                let second = s.spawn(|| parse_lines::<T>(&batch, split, b, source, tz, nb));
                let first = parse_lines::<T>(&batch, 0, a, source, tz, na);
                (first, second.join().expect("a worklog parser thread panicked"))
            });
            for r in first_half.into_iter().chain(second_half) {
                each(r?);
            }
            batch.clear();
            ends.clear();
            if !more {
                return Ok(());
            }
        }
    }
}

/// Lines of a batch read before it is parsed.
const BATCH_BYTES: usize = 4 << 20;

/// Parses the lines of `batch` that end at `ends`, the first starting at
/// `start`; stops after the first file error.
fn parse_lines<T: Raw>(
    batch: &[u8],
    mut start: usize,
    ends: &[(usize, usize)],
    source: Source,
    tz: chrono_tz::Tz,
    names: &mut Names,
) -> Vec<Result<Item, FileError>> {
    let mut out = Vec::with_capacity(ends.len());
    for &(no, end) in ends {
        let line = &batch[start..end];
        start = end;
        if first_byte(line).is_none() {
            continue;
        }
        match element::<T>(line, Position::Line(no), "", source, tz, names) {
            Ok(item) => out.push(Ok(item)),
            Err(ElementError::NotObject { at, found }) => {
                let col = crate::read::problem::Lines::new(line).column(at);
                let message = format!("expected a worklog object on each line; found {found}");
                out.push(Err(FileError::at_line(no, Some(col), message)));
                break;
            }
            Err(ElementError::Syntax(e)) => {
                out.push(Err(syntax_error(line, no, &e)));
                break;
            }
        }
    }
    out
}

/// A whole document: an array of worklogs or an object with `worklogs`.
fn document<T: Raw>(
    bytes: &[u8],
    source: Source,
    tz: chrono_tz::Tz,
    mut each: impl FnMut(Item),
) -> Result<(), FileError> {
    #[derive(Deserialize)]
    struct Wrapped<'a> {
        #[serde(borrow, default)]
        worklogs: Option<Vec<&'a RawValue>>,
    }
    let syntax = |e: serde_json::Error| syntax_error(bytes, 1, &e);
    let (elements, wrapped) = match first_byte(bytes) {
        Some((_, b'[')) => (serde_json::from_slice::<Vec<&RawValue>>(bytes).map_err(syntax)?, false),
        _ => match serde_json::from_slice::<Wrapped<'_>>(bytes).map_err(syntax)?.worklogs {
            Some(w) => (w, true),
            None => {
                let (at, _) = first_byte(bytes).unwrap_or((0, b' '));
                let mut lines = crate::read::problem::Lines::new(bytes);
                return Err(FileError::at_line(
                    lines.line(at),
                    Some(lines.column(at)),
                    format!("an object without a \"worklogs\" array (expected {SHAPES})"),
                ));
            }
        },
    };
    let mut lines = crate::read::problem::Lines::new(bytes);
    let mut names = Names::default();
    for (index, raw) in elements.iter().enumerate() {
        let pos = Position::Index { wrapped, index };
        let path = pos.to_string();
        // The element's place in the file, for a message that needs it.
        let offset = raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
        match element::<T>(raw.get().as_bytes(), pos, &path, source, tz, &mut names) {
            Ok(item) => each(item),
            Err(ElementError::NotObject { found, .. }) => {
                return Err(FileError {
                    line: Some(lines.line(offset)),
                    column: Some(lines.column(offset)),
                    at: Some(path),
                    message: format!("expected a worklog object; found {found}"),
                });
            }
            // The document parsed as a whole, so an element cannot be bad
            // JSON; kept for completeness (e.g. nesting too deep).
            Err(ElementError::Syntax(e)) => {
                return Err(FileError {
                    line: Some(lines.line(offset)),
                    column: Some(lines.column(offset)),
                    at: Some(path),
                    message: bare(&e),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
