//! How wide human output may be, and the helpers that make tables and lines
//! fit it. Machine formats (CSV, JSON) and Markdown never depend on it.
//!
//! The command layer resolves a [`Width`] once, with [`Width::stdout`] (or
//! `Context::out_width`) for what goes to stdout and [`Width::stderr`] for
//! warnings, and passes it to the human renderers:
//!
//! 1. `--wide` → [`Width::Unlimited`];
//! 2. the stream is not a terminal (a pipe, a file) → [`Width::Unlimited`];
//! 3. `COLUMNS` holds a positive number → that many columns;
//! 4. else the terminal's own size (80 when it does not say).
//!
//! A renderer with a table lists its layouts from the widest (every column,
//! what [`Width::Unlimited`] shows) to the narrowest and lets [`fit_table`]
//! take the first that fits; a text column may be shortened with `…` by
//! [`shorten_to_fit`]; lines of prose go through [`wrap`] or
//! [`write_wrapped`]. Widths are display columns ([`display_width`]):
//! box-drawing characters, `…`, `█` and `⚠` count one column each, as in
//! comfy-table and in terminals outside East Asian locales.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr;

/// The width that human output must fit in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// No limit: output to a pipe or a file, or `--wide`. Tables show every
    /// column, lines are never wrapped.
    Unlimited,
    /// At most this many display columns per line.
    Columns(usize),
}

/// A terminal that does not say its size is taken to be this wide.
pub const DEFAULT_COLUMNS: usize = 80;

impl Width {
    /// The rule of the module documentation, on given facts: `wide` is the
    /// `--wide` flag, `is_terminal` whether the stream is a terminal,
    /// `columns` the value of `COLUMNS`, `terminal` asks the terminal.
    pub fn resolve(
        wide: bool,
        is_terminal: bool,
        columns: Option<&OsStr>,
        terminal: impl FnOnce() -> Option<usize>,
    ) -> Width {
        if wide || !is_terminal {
            return Width::Unlimited;
        }
        let from_env = columns.and_then(OsStr::to_str).and_then(|s| s.trim().parse::<usize>().ok()).filter(|&n| n > 0);
        Width::Columns(from_env.or_else(terminal).filter(|&n| n > 0).unwrap_or(DEFAULT_COLUMNS))
    }

    /// The width for stdout of this process.
    pub fn stdout(wide: bool) -> Width {
        let out = io::stdout();
        let tty = out.is_terminal();
        Width::resolve(wide, tty, std::env::var_os("COLUMNS").as_deref(), || {
            terminal_size::terminal_size_of(&out).map(|(w, _)| usize::from(w.0))
        })
    }

    /// The width for stderr (warnings and problems) of this process.
    pub fn stderr(wide: bool) -> Width {
        let err = io::stderr();
        let tty = err.is_terminal();
        Width::resolve(wide, tty, std::env::var_os("COLUMNS").as_deref(), || {
            terminal_size::terminal_size_of(&err).map(|(w, _)| usize::from(w.0))
        })
    }

    /// The number of columns, or `None` without a limit.
    pub fn limit(self) -> Option<usize> {
        match self {
            Width::Unlimited => None,
            Width::Columns(n) => Some(n),
        }
    }

    /// Whether every line of `text` fits.
    pub fn fits(self, text: &str) -> bool {
        self.limit().is_none_or(|n| max_line_width(text) <= n)
    }

    /// The width left after `used` columns (unlimited stays unlimited; never
    /// below one column).
    pub fn minus(self, used: usize) -> Width {
        match self {
            Width::Unlimited => Width::Unlimited,
            Width::Columns(n) => Width::Columns(n.saturating_sub(used).max(1)),
        }
    }
}

/// Display columns of `s` in a terminal; ANSI colour sequences
/// (`ESC [ … letter`) take none.
pub fn display_width(s: &str) -> usize {
    if !s.contains('\x1b') {
        return s.width();
    }
    let mut plain = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC '[' parameters… final byte in '@'..='~'.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain.width()
}

/// The widest line of `text`.
pub fn max_line_width(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// `s` cut to at most `max` display columns, ending with `…` when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    // No space or punctuation right before the ellipsis: `GmbH &…` reads badly.
    let trimmed = out.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '&' | '-' | '.' | '/'));
    format!("{trimmed}…")
}

/// `text` broken at spaces into lines that fit `width`; lines after the
/// first start with `indent` spaces. A word longer than a line is cut.
/// Without a limit, the text is one line.
pub fn wrap(text: &str, width: Width, indent: usize) -> Vec<String> {
    let Some(limit) = width.limit() else { return vec![text.to_string()] };
    let pad = " ".repeat(indent.min(limit.saturating_sub(1)));
    let mut lines = Vec::new();
    // The line being filled, its width, and whether it has a word yet.
    let (mut line, mut used, mut empty) = (String::new(), 0, true);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        loop {
            let w = display_width(&word);
            if empty && used + w <= limit {
                line.push_str(&word);
                (used, empty) = (used + w, false);
                break;
            }
            if !empty && used + 1 + w <= limit {
                line.push(' ');
                line.push_str(&word);
                used += 1 + w;
                break;
            }
            if empty {
                // A word longer than a whole line: cut it (`pad` leaves room
                // for at least one character).
                let (head, tail) = split_at_width(&word, limit - used);
                line.push_str(&head);
                word = tail;
            }
            lines.push(std::mem::replace(&mut line, pad.clone()));
            (used, empty) = (pad.len(), true);
            if word.is_empty() {
                break;
            }
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The first `max` display columns of `s` (at least one character) and the rest.
fn split_at_width(s: &str, max: usize) -> (String, String) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max && i > 0 {
            return (s[..i].to_string(), s[i..].to_string());
        }
        used += w;
    }
    (s.to_string(), String::new())
}

/// Writes `text` wrapped to `width` (see [`wrap`]), each line ending in `\n`.
pub fn write_wrapped(out: &mut dyn Write, text: &str, width: Width, indent: usize) -> io::Result<()> {
    for line in wrap(text, width, indent) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A writer that wraps every line longer than `width` at spaces (see
/// [`wrap`]), continuation lines indented by two; shorter lines and, without
/// a limit, everything pass through untouched. For prose: messages, warnings
/// and errors (`main` puts stderr behind one); never for tables (they are
/// fitted instead) or machine formats.
pub struct WrapLines<W: Write> {
    inner: W,
    width: Width,
    /// The start of a line not ended yet.
    pending: Vec<u8>,
}

impl<W: Write> WrapLines<W> {
    pub fn new(inner: W, width: Width) -> WrapLines<W> {
        WrapLines { inner, width, pending: Vec::new() }
    }

    /// Writes one line (without its `\n`), wrapped when too wide.
    fn emit(&mut self, line: &[u8], newline: bool) -> io::Result<()> {
        let end: &[u8] = if newline { b"\n" } else { b"" };
        match (self.width.limit(), std::str::from_utf8(line)) {
            (Some(n), Ok(text)) if display_width(text) > n => {
                let lines = wrap(text, self.width, 2);
                for (i, l) in lines.iter().enumerate() {
                    self.inner.write_all(l.as_bytes())?;
                    if i + 1 < lines.len() {
                        self.inner.write_all(b"\n")?;
                    }
                }
                self.inner.write_all(end)
            }
            _ => {
                self.inner.write_all(line)?;
                self.inner.write_all(end)
            }
        }
    }
}

impl<W: Write> Write for WrapLines<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.width == Width::Unlimited {
            return self.inner.write(buf);
        }
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            let mut line = std::mem::take(&mut self.pending);
            line.extend_from_slice(&rest[..i]);
            self.emit(&line, true)?;
            rest = &rest[i + 1..];
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.emit(&line, false)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for WrapLines<W> {
    fn drop(&mut self) {
        // Whatever was not flushed: an error here has nowhere to go.
        let _ = self.flush();
    }
}

/// A table in the house style (condensed UTF-8 boxes), laid out at its
/// natural width: the columns are as wide as their widest cell.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// Whether `t`, as printed, fits `width`.
pub fn table_fits(t: &Table, width: Width) -> bool {
    width.limit().is_none_or(|n| t.lines().all(|l| display_width(&l) <= n))
}

/// Builds the table of each layout in turn, from the widest to the
/// narrowest, and gives the first that fits `width` with its layout. When
/// none fits (a very narrow terminal), the last one is given, with
/// comfy-table wrapping its text columns to the width as far as their
/// constraints allow, and if that is not enough, any column.
///
/// `build` gets the width too, for a column it shortens ([`shorten_to_fit`]).
/// Without a limit the first layout is taken: it must be the one with every
/// column, which is what pipes, files and `--wide` get.
pub fn fit_table<L: Copy>(width: Width, layouts: &[L], mut build: impl FnMut(L, Width) -> Table) -> (L, Table) {
    assert!(!layouts.is_empty(), "fit_table needs at least one layout");
    for &layout in layouts {
        let t = build(layout, width);
        if table_fits(&t, width) || width == Width::Unlimited {
            return (layout, t);
        }
    }
    // Invariant: `layouts` is not empty (asserted above).
    let last = *layouts.last().expect("layouts is not empty");
    let mut t = build(last, width);
    if let Some(n) = width.limit() {
        t.set_content_arrangement(ContentArrangement::Dynamic).set_width(u16::try_from(n).unwrap_or(u16::MAX));
        if !table_fits(&t, width) {
            for col in t.column_iter_mut() {
                col.remove_constraint();
            }
        }
    }
    (last, t)
}

/// For a table with one text column that may be shortened with `…`: the
/// largest `n` in `min..=max` for which `build(n)` fits `width`, with its
/// table; `None` when not even `min` fits. Without a limit, `max`.
pub fn shorten_to_fit(
    width: Width,
    min: usize,
    max: usize,
    mut build: impl FnMut(usize) -> Table,
) -> Option<(usize, Table)> {
    let widest = build(max);
    if table_fits(&widest, width) {
        return Some((max, widest));
    }
    if min >= max {
        return None;
    }
    let narrowest = build(min);
    if !table_fits(&narrowest, width) {
        return None;
    }
    // Fits at lo, not at hi.
    let (mut lo, mut hi, mut best) = (min, max, narrowest);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let t = build(mid);
        if table_fits(&t, width) {
            lo = mid;
            best = t;
        } else {
            hi = mid;
        }
    }
    Some((lo, best))
}

/// How a column of names (customers) shows in a layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// Whole.
    Full,
    /// Shortened with `…` to the room there is ([`shorten_to_fit`]), down to
    /// a minimum the renderer sets; below it the layout does not fit.
    Shortened,
    /// Left out.
    Hidden,
}

/// The line below a table that left columns out, naming them:
/// `--wide adds customer, tier and VAT.`; `None` when nothing was left out.
pub fn left_out_note(columns: &[&str]) -> Option<String> {
    (!columns.is_empty()).then(|| format!("--wide adds {}.", and_list(columns)))
}

/// `a, b and c` — for the names of columns left out.
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(wide: bool, tty: bool, columns: Option<&str>, terminal: Option<usize>) -> Width {
        Width::resolve(wide, tty, columns.map(OsStr::new), || terminal)
    }

    #[test]
    fn wide_and_pipes_are_unlimited_and_columns_wins_over_the_terminal() {
        assert_eq!(resolve(true, true, Some("80"), Some(100)), Width::Unlimited);
        assert_eq!(resolve(false, false, Some("80"), Some(100)), Width::Unlimited);
        assert_eq!(resolve(false, true, Some("80"), Some(100)), Width::Columns(80));
        assert_eq!(resolve(false, true, Some(" 132 "), None), Width::Columns(132));
        assert_eq!(resolve(false, true, None, Some(100)), Width::Columns(100));
        // A useless COLUMNS is ignored; a terminal that says nothing is 80 wide.
        assert_eq!(resolve(false, true, Some("wide"), Some(100)), Width::Columns(100));
        assert_eq!(resolve(false, true, Some("0"), Some(100)), Width::Columns(100));
        assert_eq!(resolve(false, true, Some(""), None), Width::Columns(DEFAULT_COLUMNS));
        assert_eq!(resolve(false, true, None, Some(0)), Width::Columns(DEFAULT_COLUMNS));
    }

    #[test]
    fn display_widths() {
        assert_eq!(display_width("Müller"), 6);
        assert_eq!(display_width("┌─┬┆│╞═╪"), 8);
        assert_eq!(display_width("…⚠█░–"), 5, "each counts one column, as in comfy-table");
        assert_eq!(display_width("\x1b[31m⚠ late\x1b[0m"), 6, "colour sequences take no room");
        assert_eq!(display_width("日本"), 4);
        assert_eq!(max_line_width("ab\nabcd\n"), 4);
    }

    #[test]
    fn ellipsize_cuts_at_a_word_edge() {
        assert_eq!(ellipsize("Alpen-Kliniken Tirol GmbH", 30), "Alpen-Kliniken Tirol GmbH");
        assert_eq!(ellipsize("Alpen-Kliniken Tirol GmbH", 25), "Alpen-Kliniken Tirol GmbH");
        assert_eq!(ellipsize("Alpen-Kliniken Tirol GmbH", 24), "Alpen-Kliniken Tirol Gm…");
        assert_eq!(ellipsize("Müller Maschinenbau GmbH & Co. KG", 26), "Müller Maschinenbau GmbH…");
        assert_eq!(ellipsize("Brandt Logistik", 8), "Brandt…");
        assert!(display_width(&ellipsize("日本語のテキスト", 5)) <= 5);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_indents_what_follows() {
        let text = "warning: nordwind-energie: 1:35 of 2:20 overage is not approved";
        let lines = wrap(text, Width::Columns(30), 2);
        assert_eq!(lines, ["warning: nordwind-energie:", "  1:35 of 2:20 overage is not", "  approved"]);
        assert!(lines.iter().all(|l| display_width(l) <= 30));
        assert_eq!(wrap(text, Width::Unlimited, 2), [text]);
        assert_eq!(wrap("short", Width::Columns(80), 4), ["short"]);
        // A word longer than the line is cut rather than overflowing.
        let lines = wrap("see /a/very/long/path/name/of/a/file.csv now", Width::Columns(12), 2);
        assert!(lines.iter().all(|l| display_width(l) <= 12), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), "see/a/very/long/path/name/of/a/file.csvnow");
    }

    #[test]
    fn wrap_lines_wraps_only_what_is_too_wide() {
        let long = "warning: nordwind-energie: 1:35 of 2:20 overage is not approved";
        let mut out = Vec::new();
        {
            let mut w = WrapLines::new(&mut out, Width::Columns(30));
            // Written in pieces, as `writeln!` does.
            write!(w, "short\n{}", &long[..10]).unwrap();
            writeln!(w, "{}", &long[10..]).unwrap();
            write!(w, "no line break at the end").unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "short\nwarning: nordwind-energie:\n  1:35 of 2:20 overage is not\n  approved\nno line break at the end"
        );
        let mut out = Vec::new();
        WrapLines::new(&mut out, Width::Unlimited).write_all(long.as_bytes()).unwrap();
        assert_eq!(out, long.as_bytes());
        // Bytes that are not UTF-8 pass through as they are.
        let mut out = Vec::new();
        WrapLines::new(&mut out, Width::Columns(5)).write_all(b"\xff\xfe long line\n").unwrap();
        assert_eq!(out, b"\xff\xfe long line\n");
    }

    fn sample(cells: usize) -> Table {
        let mut t = table();
        t.set_header(["Contract", "Customer"]);
        t.add_row(["alpen-kliniken".to_string(), "x".repeat(cells)]);
        t
    }

    #[test]
    fn fit_table_takes_the_first_layout_that_fits() {
        // Layout = width of the customer cell.
        let layouts = [40, 20, 10];
        let (l, t) = fit_table(Width::Columns(45), &layouts, |l, _| sample(l));
        assert_eq!(l, 20);
        assert!(table_fits(&t, Width::Columns(45)));
        let (l, _) = fit_table(Width::Unlimited, &layouts, |l, _| sample(l));
        assert_eq!(l, 40, "no limit: every column, as wide as it is");
        // Nothing fits: the narrowest, wrapped by comfy-table.
        let (l, t) = fit_table(Width::Columns(25), &layouts, |l, _| sample(l));
        assert_eq!(l, 10);
        assert!(table_fits(&t, Width::Columns(25)), "{t}");
        // Even columns that must not wrap, when nothing else helps.
        let whole = |l: usize, _| {
            let mut t = sample(l);
            for col in t.column_iter_mut() {
                col.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
            }
            t
        };
        let (_, t) = fit_table(Width::Columns(25), &layouts, whole);
        assert!(table_fits(&t, Width::Columns(25)), "{t}");
    }

    #[test]
    fn shorten_to_fit_finds_the_widest_that_fits() {
        // Borders and padding of two columns: 7; "alpen-kliniken": 14.
        let (n, t) = shorten_to_fit(Width::Columns(40), 8, 30, sample).unwrap();
        assert_eq!(n, 19);
        assert_eq!(max_line_width(&t.to_string()), 40);
        assert_eq!(shorten_to_fit(Width::Columns(40), 8, 12, sample).unwrap().0, 12);
        assert!(shorten_to_fit(Width::Columns(20), 8, 30, sample).is_none());
        assert_eq!(shorten_to_fit(Width::Unlimited, 8, 30, sample).unwrap().0, 30);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(and_list(&["tier"]), "tier");
        assert_eq!(and_list(&["tier", "VAT"]), "tier and VAT");
        assert_eq!(and_list(&["customer", "tier", "VAT"]), "customer, tier and VAT");
        assert_eq!(left_out_note(&["tier", "VAT"]).unwrap(), "--wide adds tier and VAT.");
        assert_eq!(left_out_note(&[]), None);
    }
}
