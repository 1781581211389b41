//! CSV records out of a file held in memory, with the byte offsets that
//! line numbers are counted from.
//!
//! The records are exactly those of `csv_core` with its defaults (`,`, `"`
//! doubled to escape, any of CR, LF, CRLF ending a record, blank lines
//! skipped), which `read::fuzz::csv_records` checks against the `csv` crate.
//! Most lines of a ledger are one record of plain or cleanly quoted fields:
//! those are cut where the commas and quotes are, instead of by `csv_core`'s
//! state machine, one byte at a time, which cost a third of `report`'s
//! instructions. A line of under 128 bytes is seen whole as bit masks taken
//! sixteen bytes at a time with SIMD (the `wide` crate: safe, and portable
//! to ARM); a longer one by a scan eight bytes at a time. A line that is
//! anything else — a quote that runs past the line break, text after a
//! closing quote, a lone CR — goes to `csv_core` itself, so the odd cases
//! keep its rules.

use std::ops::Range;

use memchr::memchr;
use wide::u8x16;

/// One record: its fields as ranges of [`Record::as_slice`] (the line itself
/// when no field needs unquoting, else a copy with the quotes removed) and
/// where it stands in the file.
#[derive(Debug, Default)]
pub struct Record<'a> {
    line: &'a [u8],
    data: Vec<u8>,
    owned: bool,
    /// Read by csv_core: its fields may hold line breaks.
    slow: bool,
    fields: Vec<Range<usize>>,
    /// Offset of the record's first byte.
    pub start: usize,
    /// Offset just past the bytes the record took (its line break included
    /// where it has one).
    pub end: usize,
}

impl<'a> Record<'a> {
    /// The bytes the fields lie in.
    pub fn as_slice(&self) -> &[u8] {
        if self.owned { &self.data } else { self.line }
    }
    /// Number of fields (at least one).
    pub fn field_count(&self) -> usize {
        self.fields.len()
    }
    /// Where field `i` lies in [`Record::as_slice`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        self.fields.get(i).cloned()
    }
    /// Where the record's fields lie in the body when they are all of one
    /// line, as cut (`None` when quotes were undone in a copy).
    pub fn line_range(&self) -> Option<Range<usize>> {
        (!self.owned).then(|| self.start..self.start + self.line.len())
    }
    /// The record was cut from one line: no field holds a line break.
    pub fn one_line(&self) -> bool {
        !self.slow
    }
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.fields.iter().map(|r| &self.as_slice()[r.clone()])
    }
}

/// Reads the records of `body` (a file after any BOM) one after the other.
pub struct Records<'a> {
    body: &'a [u8],
    pos: usize,
    /// The next line break at or after `pos` (`None`: none left), kept so
    /// that a file of CR-only lines is not scanned to its end per record.
    newline: Option<usize>,
    /// Built on the first line the fast path leaves to it.
    slow: Option<csv_core::Reader>,
}

impl<'a> Records<'a> {
    pub fn new(body: &'a [u8]) -> Records<'a> {
        Records { body, pos: 0, newline: memchr(b'\n', body), slow: None }
    }

    /// Goes on at byte `at` (the start of a line), if that lies ahead.
    pub fn skip_to(&mut self, at: usize) {
        self.pos = self.pos.max(at.min(self.body.len()));
    }

    /// Reads the next record into `rec`; `false` at the end.
    pub fn next_into(&mut self, rec: &mut Record<'a>) -> bool {
        let body = self.body;
        // Blank lines are skipped, as csv_core does.
        while self.pos < body.len() && matches!(body[self.pos], b'\n' | b'\r') {
            self.pos += 1;
        }
        if self.pos >= body.len() {
            return false;
        }
        rec.start = self.pos;
        if let Some(end) = cut_short(&body[self.pos..], rec) {
            rec.end = self.pos + end;
            self.pos = rec.end;
            return true;
        }
        if self.newline.is_some_and(|n| n < self.pos) {
            self.newline = memchr(b'\n', &body[self.pos..]).map(|n| self.pos + n);
        }
        if let Some(n) = self.newline {
            let line = &body[self.pos..n];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if split_line(line, rec) {
                rec.end = n + 1;
                self.pos = rec.end;
                return true;
            }
        }
        self.read_slow(rec)
    }

    /// One record by `csv_core`, from `self.pos`.
    fn read_slow(&mut self, rec: &mut Record<'a>) -> bool {
        let rdr = self.slow.get_or_insert_with(|| {
            // csv_core drops a byte order mark from the first input it is
            // given. The file's own is gone before records are read, so any
            // other is data: a blank line read first (skipped) turns that off.
            let mut r = csv_core::Reader::new();
            r.read_record(b"\n", &mut [], &mut []);
            r
        });
        let mut input = &self.body[self.pos..];
        let (mut nout, mut nends) = (0, 0);
        let mut ends = vec![0; 16];
        rec.data.clear();
        rec.data.resize(256, 0);
        loop {
            let (result, nin, o, e) = rdr.read_record(input, &mut rec.data[nout..], &mut ends[nends..]);
            input = &input[nin..];
            self.pos += nin;
            nout += o;
            nends += e;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => rec.data.resize(rec.data.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => return false,
            }
        }
        rec.data.truncate(nout);
        rec.owned = true;
        rec.slow = true;
        rec.fields.clear();
        let mut from = 0;
        for &to in &ends[..nends] {
            rec.fields.push(from..to);
            from = to;
        }
        rec.end = self.pos;
        true
    }
}

/// Splits one line (without its line break) the way csv_core would, or
/// returns `false` for a line only csv_core should judge. Fields are ranges
/// of the line unless a doubled quote has to be undone.
fn split_line<'a>(line: &'a [u8], rec: &mut Record<'a>) -> bool {
    rec.line = line;
    (rec.owned, rec.slow) = (false, false);
    rec.fields.clear();
    if memchr(b'\r', line).is_some() {
        return false; // a lone CR ends a record in csv_core
    }
    let mut marks = Marks::new(line);
    let mut start = 0;
    let mut escaped = false;
    loop {
        if line.get(start) == Some(&b'"') {
            marks.next(); // the opening quote
            let close = loop {
                // A quote never closed on this line runs on into the next.
                let Some(q) = marks.next() else { return false };
                if line[q] == b',' {
                    continue;
                }
                if line.get(q + 1) == Some(&b'"') {
                    marks.next();
                    escaped = true;
                } else {
                    break q;
                }
            };
            rec.fields.push(start + 1..close);
            match line.get(close + 1) {
                None => break,
                Some(b',') => {
                    marks.next();
                    start = close + 2;
                }
                Some(_) => return false, // text after the closing quote
            }
        } else {
            // A quote inside an unquoted field is an ordinary character.
            match std::iter::from_fn(|| marks.next()).find(|&m| line[m] == b',') {
                Some(c) => {
                    rec.fields.push(start..c);
                    start = c + 1;
                }
                None => {
                    rec.fields.push(start..line.len());
                    break;
                }
            }
        }
    }
    if escaped {
        unescape(rec);
    }
    true
}

/// Lines shorter than this (line break included) are cut by [`cut_short`],
/// which sees a bit per byte in a `u128`.
const WINDOW: usize = 128;

/// Cuts the line at the start of `rest` into `rec` when it is short (its
/// line break within [`WINDOW`] bytes) and plain, returning the offset just
/// past its line break; `None` leaves it to the paths that take any line.
///
/// There is no branch per comma or quote: the window's commas, quotes,
/// CRs and LFs become bit masks, and the quotes' running parity (a prefix
/// XOR) tells which commas lie inside a quoted field. A line is plain when
/// it holds no CR but the one of its CRLF, and every quote opens a field,
/// closes one (just before a comma or the end), or is one of a doubled pair
/// inside it.
fn cut_short<'a>(rest: &'a [u8], rec: &mut Record<'a>) -> Option<usize> {
    let m = masks(rest);
    let newline = m.newlines.trailing_zeros() as usize;
    if newline >= WINDOW {
        return None;
    }
    let before = (1u128 << newline) - 1;
    let len = match m.crs & before {
        0 => newline,
        cr if cr == 1 << (newline - 1) => newline - 1, // CRLF
        _ => return None,                              // a lone CR ends a record in csv_core
    };
    let within = (1u128 << len) - 1;
    let (commas, quotes) = (m.commas & within, m.quotes & within);
    let (seps, escaped) = if quotes == 0 {
        (commas, false)
    } else {
        if quotes.count_ones() % 2 == 1 {
            return None; // a quote runs past the line, or is an ordinary one
        }
        let inside = prefix_xor(quotes);
        let seps = commas & !inside;
        let (starts, ends) = (1 | seps << 1, seps | 1 << len);
        let (open, close) = (quotes & inside, quotes & !inside);
        if open & !(starts | close << 1) != 0 || close & !((ends | open) >> 1) != 0 {
            return None;
        }
        (seps, open & !starts != 0)
    };
    rec.line = &rest[..len];
    (rec.owned, rec.slow) = (false, false);
    rec.fields.clear();
    let line = rec.line;
    // A quoted field (it starts with a quote) loses its two quotes.
    let mut push = |start: usize, end: usize| {
        let quoted = usize::from(line.get(start) == Some(&b'"'));
        rec.fields.push(start + quoted..end - quoted);
    };
    let mut start = 0;
    for (base, mut bits) in [(0, seps as u64), (64, (seps >> 64) as u64)] {
        while bits != 0 {
            let end = base + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            push(start, end);
            start = end + 1;
        }
    }
    push(start, len);
    if escaped {
        unescape(rec);
    }
    Some(newline + 1)
}

/// Where the commas, quotes, CRs and LFs of a window lie: bit `i` stands
/// for byte `i`.
struct Masks {
    commas: u128,
    quotes: u128,
    crs: u128,
    newlines: u128,
}

/// The [`Masks`] of the first [`WINDOW`] bytes of `bytes` (zeros past its
/// end), sixteen bytes at a time in SIMD registers.
fn masks(bytes: &[u8]) -> Masks {
    let padded;
    let window = match bytes.first_chunk::<WINDOW>() {
        Some(w) => w,
        None => {
            let mut p = [0u8; WINDOW];
            p[..bytes.len()].copy_from_slice(bytes);
            padded = p;
            &padded
        }
    };
    let (blocks, _) = window.as_chunks::<16>();
    // In `u64` halves: shifts of a `u128` by a varying count cost several
    // instructions each.
    let half = |blocks: &[[u8; 16]]| {
        let mut m = [0u64; 4];
        for (i, b) in blocks.iter().enumerate() {
            let v = u8x16::new(*b);
            for (m, c) in m.iter_mut().zip([b',', b'"', b'\r', b'\n']) {
                *m |= u64::from(v.simd_eq(u8x16::splat(c)).to_bitmask()) << (16 * i);
            }
        }
        m
    };
    let (lo, hi) = (half(&blocks[..4]), half(&blocks[4..]));
    let both = |i: usize| u128::from(lo[i]) | u128::from(hi[i]) << 64;
    Masks { commas: both(0), quotes: both(1), crs: both(2), newlines: both(3) }
}

/// Bit `i` of the result: the parity of the set bits of `x` up to bit `i`.
fn prefix_xor(mut x: u128) -> u128 {
    for shift in [1, 2, 4, 8, 16, 32, 64] {
        x ^= x << shift;
    }
    x
}

/// The positions of the commas and quotes of a line, in order, found eight
/// bytes at a time (SWAR: a word's bytes compared at once, no `unsafe`).
struct Marks<'a> {
    line: &'a [u8],
    /// Offset of the word in `mask`.
    at: usize,
    /// Bit 7 of each byte of the word that is a comma or a quote (bits of
    /// positions already handed out are cleared).
    mask: u64,
}

impl<'a> Marks<'a> {
    fn new(line: &'a [u8]) -> Marks<'a> {
        Marks { line, at: 0, mask: Self::word(line) }
    }

    fn word(bytes: &[u8]) -> u64 {
        let w = match bytes.first_chunk::<8>() {
            Some(w) => u64::from_le_bytes(*w),
            None => {
                let mut w = [0u8; 8];
                w[..bytes.len()].copy_from_slice(bytes);
                u64::from_le_bytes(w)
            }
        };
        equal_bytes(w, b',') | equal_bytes(w, b'"')
    }

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.at += 8;
            if self.at >= self.line.len() {
                return None;
            }
            self.mask = Self::word(&self.line[self.at..]);
        }
        let bit = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.at + bit / 8)
    }
}

/// Bit 7 set in each byte of `w` that equals `c`, every other bit clear
/// (exact: no carry crosses a byte).
fn equal_bytes(w: u64, c: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ (u64::from(c) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Copies the fields of a line with doubled quotes, undoing them.
fn unescape(rec: &mut Record<'_>) {
    rec.data.clear();
    for f in &mut rec.fields {
        let from = rec.data.len();
        let mut rest = &rec.line[f.clone()];
        // An unquoted field follows a comma or starts the line; its quotes
        // are ordinary characters. In a quoted one each comes doubled.
        let quoted = f.start > 0 && rec.line[f.start - 1] == b'"';
        while quoted && let Some(q) = memchr(b'"', rest) {
            rec.data.extend_from_slice(&rest[..=q]);
            rest = &rest[q + 2..];
        }
        rec.data.extend_from_slice(rest);
        *f = from..rec.data.len();
    }
    rec.owned = true;
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn equal_bytes_marks_exactly_the_equal_bytes() {
        for c in 0..=255u8 {
            for b in 0..=255u8 {
                // `b` beside every neighbour that could carry into it.
                for other in [0u8, 1, c.wrapping_sub(1), c, c.wrapping_add(1), 0x7f, 0x80, 0xff] {
                    let w = u64::from_le_bytes([other, b, other, b, b, other, other, b]);
                    let want = w
                        .to_le_bytes()
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &x)| if x == c { m | 0x80 << (8 * i) } else { m });
                    assert_eq!(equal_bytes(w, c), want, "c={c} b={b} other={other}");
                }
            }
        }
    }

    #[test]
    fn the_cases_a_ledger_meets() {
        for body in [
            &b"date,contract,note\n2026-11-02,acme,\"Call, then \"\"fix\"\"\"\n"[..],
            b"a,b\r\nc,d\r\n",
            b"a,b\n\n\r\nc,\n",
            b"a,\"open\nstill open\",b\nc\n",
            b"a,\"x\"y,b\n",
            b"a\rb\n",
            b"a,b",
            b"a,\"b",
            b"\"\"\n,\n\"\",\"\"\n",
            b"x,ab\"c\"d,\" q \"\n",
            b"ab\"c,\"x\"\"y\",\"\"\"\"\n",
            // Found by the property below on earlier drafts.
            b"aa",
            b" \r\n",
            b"a\n\0,\xC3\xA9\n\"x\"\r",
        ] {
            crate::read::fuzz::csv_records(body);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any bytes, drawn mostly from the ones that matter to CSV, cut into
        /// the same records as the `csv` crate cuts them.
        #[test]
        fn same_records_as_csv(body in proptest::collection::vec(
            prop_oneof![
                4 => Just(b'a'), 3 => Just(b','), 3 => Just(b'"'), 2 => Just(b'\n'),
                1 => Just(b'\r'), 1 => Just(b' '), 1 => Just(0u8), 1 => any::<u8>(),
            ],
            0..64,
        )) {
            crate::read::fuzz::csv_records(&body);
        }

        /// Lines of well-formed fields, plain or quoted (with commas, doubled
        /// quotes, non-ASCII text), ended by LF or CRLF, some as long as the
        /// window the masks see and longer: cut as the `csv` crate cuts them,
        /// with or without stray bytes after them.
        #[test]
        fn same_records_as_csv_on_long_lines(
            lines in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        prop_oneof![
                            "[a-z é]{0,40}",
                            "[a-z, \"é]{0,40}".prop_map(|f| format!("\"{}\"", f.replace('"', "\"\""))),
                        ],
                        1..12,
                    ),
                    prop_oneof![Just("\n"), Just("\r\n")],
                ),
                0..5,
            ),
            tail in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b','), Just(b'"'), Just(b'\r'), Just(b'\n')], 0..4),
        ) {
            let mut body: Vec<u8> = lines.iter().flat_map(|(fields, end)| format!("{}{end}", fields.join(",")).into_bytes()).collect();
            body.extend(tail);
            crate::read::fuzz::csv_records(&body);
        }
    }

    #[test]
    fn lines_at_the_edge_of_the_window() {
        for len in WINDOW - 3..=WINDOW + 2 {
            for end in ["\n", "\r\n", ""] {
                let plain = "a".repeat(len - 4);
                let quoted = format!("\"{}\"", "b".repeat(len - 6));
                let doubled = format!("\"{}\"\"\"", "c".repeat(len - 8));
                for line in
                    [format!("x,y,{plain}"), format!("{quoted},z"), format!("q,{doubled}"), format!("{plain}\"")]
                {
                    crate::read::fuzz::csv_records(format!("{line}{end}h\n").as_bytes());
                    crate::read::fuzz::csv_records(format!("{line}{end}").as_bytes());
                }
            }
        }
    }
}
