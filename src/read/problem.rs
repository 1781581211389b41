//! Problems found while reading a ledger: where (file, line, column) and what.
//!
//! Readers collect every problem instead of stopping at the first, so that
//! `check` can list them all and `report` can refuse with the full list.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, rendered as `file:line[:column]: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Path relative to the ledger root, with `/` separators.
    pub file: String,
    /// 1-based line as an editor shows it.
    pub line: Option<usize>,
    /// 1-based column (characters), where known.
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// The problems of one read, in the order found.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn error(&mut self, file: &str, line: Option<usize>, column: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Error, file, line, column, message.into());
    }
    pub fn warning(&mut self, file: &str, line: Option<usize>, column: Option<usize>, message: impl Into<String>) {
        self.push(Severity::Warning, file, line, column, message.into());
    }
    fn push(&mut self, severity: Severity, file: &str, line: Option<usize>, column: Option<usize>, message: String) {
        let message = match visible(&message) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(shown) => shown,
        };
        self.list.push(Problem { severity, file: file.to_string(), line, column, message });
    }
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|p| p.severity == Severity::Error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter().filter(|p| p.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter().filter(|p| p.severity == Severity::Warning)
    }
}

/// `text` with the characters a terminal does not show, or shows as a plain
/// space, written as `\u{…}` escapes: a value quoted in a message is then what
/// the file holds (a BOM from a joined file, a no-break space pasted from a
/// spreadsheet, a zero-width space). Our own message texts have none of them
/// but line breaks, which stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{a0}' | '\u{ad}' | '\u{3000}' | '\u{feff}')
            || matches!(c, '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{206f}')
    };
    if !text.contains(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Maps byte offsets of a text to 1-based editor lines and columns. Counting
/// from bytes ourselves keeps line numbers right in CRLF files and after
/// blank lines, where the csv crate's own are one too low.
pub struct Lines<'a> {
    data: &'a [u8],
    /// The last offset asked for and its line, for sequential use.
    last: (usize, usize),
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Lines<'a> {
        Lines { data, last: (0, 1) }
    }

    /// Line of byte `offset`; fastest when offsets grow.
    pub fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.data.len());
        let (from, mut line) = if offset >= self.last.0 { self.last } else { (0, 1) };
        line += memchr::memchr_iter(b'\n', &self.data[from..offset]).count();
        self.last = (offset, line);
        line
    }

    /// 1-based column (in characters) of byte `offset`.
    pub fn column(&self, offset: usize) -> usize {
        let offset = offset.min(self.data.len());
        let start = self.data[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        String::from_utf8_lossy(&self.data[start..offset]).chars().count() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_what_a_terminal_hides() {
        let mut p = Problems::default();
        p.error("timelog/2026-11.csv", Some(2), None, "date: \"\u{feff}2026-11-02\" is not a valid date");
        p.error("f", None, None, "minutes: \"30\u{a0}\" x\ty\u{200b}z\r\u{7f}");
        p.error("f", None, None, "plain \"Müller, Zoë\" text\nsecond line");
        let shown: Vec<String> = p.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "timelog/2026-11.csv:2: date: \"\\u{feff}2026-11-02\" is not a valid date",
                "f: minutes: \"30\\u{a0}\" x\\u{9}y\\u{200b}z\\u{d}\\u{7f}",
                "f: plain \"Müller, Zoë\" text\nsecond line",
            ]
        );
    }

    #[test]
    fn lines_from_offsets() {
        let text = b"a\r\nb\n\nc";
        let mut l = Lines::new(text);
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(3), 2);
        assert_eq!(l.line(6), 4);
        assert_eq!(l.line(1), 1, "going back works too");
        assert_eq!(l.column(6), 1);
        assert_eq!(Lines::new("äb=x".as_bytes()).column(3), 3);
    }

    #[test]
    fn display_with_and_without_position() {
        let p = Problem {
            severity: Severity::Error,
            file: "timelog/2026-11.csv".into(),
            line: Some(17),
            column: None,
            message: "minutes: \"1,5\" is not a whole number of minutes".into(),
        };
        assert_eq!(p.to_string(), "timelog/2026-11.csv:17: minutes: \"1,5\" is not a whole number of minutes");
        let p = Problem { line: Some(3), column: Some(9), ..p };
        assert!(p.to_string().starts_with("timelog/2026-11.csv:3:9: "));
    }
}
