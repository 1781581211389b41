//! CSV files of the ledger (time log, approvals): header by name, rows with
//! editor line numbers, and the file-level faults of SPEC §6 — open quotes,
//! NUL bytes, invalid UTF-8, wrong field counts, repeated headers, torn
//! last rows.

use std::cell::RefCell;

use super::problem::{Lines, Problems};
use super::records::{Record, Records};
use super::suggest;

/// A column the reader looks for.
pub struct Column<'a> {
    pub name: &'a str,
    pub required: bool,
}

/// Longest field accepted (F20): longer is a damaged or foreign file.
pub const MAX_FIELD_BYTES: usize = 10_000;

/// One data row: its fields by column (in the order of the `Column` list)
/// and where it stands.
pub struct Row<'r> {
    /// Byte offset of the row in the file (after any BOM); see [`Row::line`].
    pub offset: usize,
    line_of: &'r dyn Fn(usize) -> usize,
    fields: Fields<'r>,
    cols: &'r [Option<usize>],
    /// This is the last row and the file does not end with a newline.
    pub unterminated: bool,
}

impl Row<'_> {
    /// The row's line as an editor shows it (counted on demand: most rows
    /// never need it).
    pub fn line(&self) -> usize {
        (self.line_of)(self.offset)
    }

    /// The field of column `i` of the `Column` list; `""` when the file has
    /// no such column.
    pub fn get(&self, i: usize) -> &str {
        self.cols[i].map_or("", |c| self.fields.get(c))
    }
    pub fn has(&self, i: usize) -> bool {
        self.cols[i].is_some()
    }
}

/// A file's bytes after the byte order marks it starts with (UTF-8 BOMs
/// are not data; an editor may add one to a file that already has one).
/// Offsets in messages and rows count from here.
pub fn body(data: &[u8]) -> &[u8] {
    let mut body = data;
    while let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF") {
        body = rest;
    }
    body
}

/// The column names of a CSV file's header (its first line, trimmed), or
/// `None` for a file that holds only blank space.
pub fn header_names(data: &[u8]) -> Option<Vec<String>> {
    let body = body(data);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let first = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let names = String::from_utf8_lossy(first.strip_suffix(b"\r").unwrap_or(first));
    Some(
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(names.as_bytes())
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(|s| s.trim().to_string()).collect())
            .unwrap_or_default(),
    )
}

/// Hint added to errors on a last row that lacks its newline.
pub const TORN_HINT: &str =
    "; the last line has no line break: probably an interrupted write, remove it after checking";

/// Reads `data` (the whole file) and calls `row` for every data row whose
/// fields are whole; every other fault goes to `problems`. `row` returns the
/// problems of its own fields as `(field, message)`.
pub fn read_rows(
    file: &str,
    data: &[u8],
    columns: &[Column<'_>],
    problems: &mut Problems,
    row: impl FnMut(&Row<'_>) -> Result<(), String>,
) {
    read_rows_from(file, data, 0..usize::MAX, columns, problems, row);
}

/// [`read_rows`] for the rows in byte range `rows` of the body (after any
/// BOM; both ends at the start of a line): the header is still read from the
/// top, and offsets and lines stay those of the whole file.
pub fn read_rows_from(
    file: &str,
    data: &[u8],
    rows: std::ops::Range<usize>,
    columns: &[Column<'_>],
    problems: &mut Problems,
    mut row: impl FnMut(&Row<'_>) -> Result<(), String>,
) {
    let body = body(data);
    let body = &body[..rows.end.min(body.len())];
    let lines = RefCell::new(Lines::new(body));
    let line_of = |at: usize| lines.borrow_mut().line(at);
    let mut records = Records::new(body);
    let mut rec = Record::default();
    let mut header: Option<Vec<String>> = None;
    let mut cols: Vec<Option<usize>> = vec![None; columns.len()];
    let ends_with_newline = body.last() == Some(&b'\n');
    // One UTF-8 check and one search for NUL over the rows' part of the
    // file: a record cut from one line of it then needs neither of its own.
    let from = rows.start.min(body.len());
    let text = simdutf8::basic::from_utf8(&body[from..]).ok().filter(|t| memchr::memchr(0, t.as_bytes()).is_none());
    while records.next_into(&mut rec) {
        let at = rec.start;
        let unterminated = !ends_with_newline && rec.end >= body.len();
        let torn = if unterminated { TORN_HINT } else { "" };

        // Whole-record faults first, found by one vectorised scan.
        let names = header.as_deref();
        let name_of = |i: usize| -> String {
            names.and_then(|h| h.get(i)).map_or_else(|| format!("field {}", i + 1), |n| n.clone())
        };
        let checked = text.filter(|_| rec.one_line() && at >= from);
        if checked.is_none() && memchr::memchr3(0, b'\n', b'\r', rec.as_slice()).is_some() {
            if rec.as_slice().contains(&0) {
                problems.error(file, Some(line_of(at)), None, "contains NUL bytes: the file is damaged");
            } else {
                let i = rec.iter().position(|f| f.contains(&b'\n') || f.contains(&b'\r')).unwrap_or(0);
                problems.error(
                    file,
                    Some(line_of(at)),
                    None,
                    format!(
                        "{}: a quoted field runs over a line break (a quote left open?); fields may not contain line breaks, so this swallows the lines after it",
                        name_of(i)
                    ),
                );
            }
            continue;
        }
        if unterminated && quote_left_open(&body[at..]) {
            problems.error(
                file,
                Some(line_of(at)),
                None,
                format!("a quoted field is never closed (a quote left open?){torn}"),
            );
            continue;
        }
        if rec.as_slice().len() > MAX_FIELD_BYTES
            && let Some(i) = rec.iter().position(|f| f.len() > MAX_FIELD_BYTES)
        {
            problems.error(
                file,
                Some(line_of(at)),
                None,
                format!("{}: longer than {MAX_FIELD_BYTES} bytes", name_of(i)),
            );
            continue;
        }
        // In checked text, fields end at commas, quotes and line ends, which
        // are ASCII: on character boundaries (in the copy without doubled
        // quotes as well).
        let known = checked.and_then(|t| match rec.line_range() {
            Some(r) => t.get(r.start - from..r.end - from),
            None => std::str::from_utf8(rec.as_slice()).ok(),
        });
        // Otherwise one UTF-8 check for the whole record, then every field
        // boundary must fall on a character boundary: no allocation per row.
        let whole = match known {
            Some(w) => w,
            None => match std::str::from_utf8(rec.as_slice()) {
                Ok(w)
                    if w.is_ascii()
                        || (0..rec.field_count()).all(|i| {
                            rec.range(i).is_some_and(|r| w.is_char_boundary(r.start) && w.is_char_boundary(r.end))
                        }) =>
                {
                    w
                }
                _ => {
                    let i = rec.iter().position(|f| std::str::from_utf8(f).is_err()).unwrap_or(0);
                    problems.error(
                        file,
                        Some(line_of(at)),
                        None,
                        format!("{}: not valid UTF-8; save the file as UTF-8", name_of(i)),
                    );
                    continue;
                }
            },
        };
        let fields = Fields { whole, rec: &rec };

        let Some(h) = &header else {
            // The header row.
            let names: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
            let mut ok = true;
            for (i, n) in names.iter().enumerate() {
                if names[..i].contains(n) {
                    problems.error(
                        file,
                        Some(line_of(at)),
                        None,
                        format!("column \"{n}\" appears twice in the header"),
                    );
                    ok = false;
                }
            }
            for (ci, c) in columns.iter().enumerate() {
                cols[ci] = names.iter().position(|n| n == c.name);
                if cols[ci].is_none() && c.required {
                    let unknown: Vec<&str> =
                        names.iter().map(String::as_str).filter(|n| !columns.iter().any(|c| c.name == *n)).collect();
                    let hint = unknown
                        .iter()
                        .find(|u| suggest::closest(u, [c.name]).is_some())
                        .map(|u| format!(" (found \"{u}\": did you mean \"{}\"?)", c.name))
                        .unwrap_or_default();
                    problems.error(file, Some(line_of(at)), None, format!("header has no column \"{}\"{hint}", c.name));
                    ok = false;
                }
            }
            if !ok {
                return;
            }
            header = Some(names);
            records.skip_to(rows.start);
            continue;
        };

        // A repeated header fails as a row; only then is it looked at as one.
        let row_result = if fields.len() == h.len() {
            let r = Row { offset: at, line_of: &line_of, fields, cols: &cols, unterminated };
            row(&r)
        } else {
            Err(String::new())
        };
        let Err(msg) = row_result else { continue };
        if is_header_like(&fields, columns)
            || fields.len() == h.len() && fields.iter().zip(h).all(|(f, n)| f.trim() == n)
        {
            problems.error(
                file,
                Some(line_of(at)),
                None,
                "repeated header row (left by a merge of two copies of this file?); remove it",
            );
            // Rows below a header in another column order (a union merge of
            // two new files) follow that header.
            let names: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
            if columns.iter().all(|c| !c.required || names.iter().any(|n| n == c.name)) {
                for (ci, c) in columns.iter().enumerate() {
                    cols[ci] = names.iter().position(|n| n == c.name);
                }
                header = Some(names);
            }
            continue;
        }
        if fields.len() != h.len() {
            let extra = if fields.len() > h.len() {
                format!(
                    " (extra: \"{}\"; an unquoted comma?)",
                    fields.iter().skip(h.len()).collect::<Vec<_>>().join(",")
                )
            } else {
                String::new()
            };
            problems.error(
                file,
                Some(line_of(at)),
                None,
                format!("expected {} fields ({}), found {}{extra}{torn}", h.len(), h.join(","), fields.len()),
            );
            continue;
        }
        problems.error(file, Some(line_of(at)), None, format!("{msg}{torn}"));
    }
    if header.is_none() {
        if body.is_empty() {
            // What a first append rolled back leaves behind: harmless.
            problems.warning(file, None, None, "empty file (no header, no rows)");
        } else {
            problems.error(file, Some(1), None, "the file has no header row");
        }
    }
}

/// A row whose every field is a column name of this file kind: a header
/// written in another column order.
/// Whether the last line (no line break after it) ends inside a quoted field:
/// read again with a line break added, that field would swallow it.
fn quote_left_open(last: &[u8]) -> bool {
    if !last.contains(&b'"') {
        return false;
    }
    let mut probe = last.to_vec();
    probe.push(b'\n');
    let mut rec = Record::default();
    Records::new(&probe).next_into(&mut rec) && rec.iter().any(|f| f.contains(&b'\n'))
}

/// The fields of a record whose bytes are valid UTF-8.
#[derive(Clone, Copy)]
struct Fields<'r> {
    whole: &'r str,
    rec: &'r Record<'r>,
}

impl<'r> Fields<'r> {
    fn len(&self) -> usize {
        self.rec.field_count()
    }
    fn get(&self, i: usize) -> &'r str {
        self.rec.range(i).map_or("", |r| &self.whole[r])
    }
    fn iter(&self) -> impl Iterator<Item = &'r str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

fn is_header_like(fields: &Fields<'_>, columns: &[Column<'_>]) -> bool {
    fields.len() >= 2 && fields.iter().all(|f| columns.iter().any(|c| c.name == f.trim()))
}
