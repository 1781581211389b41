//! CSV records out of a file held in memory, with the byte offsets that
//! line numbers are counted from.
//!
//! The records are exactly those of `csv_core` with its defaults (`,`, `"`
//! doubled to escape, any of CR, LF, CRLF ending a record, blank lines
//! skipped), which `read::fuzz::csv_records` checks against the `csv` crate.
//! Most lines of a ledger are one record of plain or cleanly quoted fields:
//! those are cut where a scan eight bytes at a time finds commas and quotes,
//! instead of by `csv_core`'s state machine, one byte at a time, which cost a
//! third of `report`'s instructions. A line that is anything else — a quote
//! that runs past the line break, text after a closing quote, a lone CR —
//! goes to `csv_core` itself, so the odd cases keep its rules.

use std::ops::Range;

use memchr::memchr;

/// One record: its fields as ranges of [`Record::as_slice`] (the line itself
/// when no field needs unquoting, else a copy with the quotes removed) and
/// where it stands in the file.
#[derive(Debug, Default)]
pub struct Record<'a> {
    line: &'a [u8],
    data: Vec<u8>,
    owned: bool,
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
    rec.owned = false;
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
    }
}
