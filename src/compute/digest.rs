//! The digest of a set of rows (SPEC §8.1), the one home of it: `close`
//! writes it into a closing, `verify`, `check` and `report` compare it.
//!
//! Each row is its known columns in the order of its file kind, each value
//! as the CSV field holds it after unquoting (an absent column is empty),
//! joined by the byte 0x1F; the joined rows are sorted as byte strings, each
//! is ended by 0x0A, and the whole is hashed with SHA-256, written
//! `sha256:<hex>`. Column order, quoting, line endings, row order, a BOM or
//! an unknown column do not change it; an added, removed or edited row does.

use std::fmt;

use sha2::{Digest as _, Sha256};

/// Separates the values of a row (ASCII unit separator).
pub const UNIT_SEPARATOR: u8 = 0x1F;

/// A digest of rows: how many, and their SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Digest {
    pub rows: u64,
    pub sha256: [u8; 32],
}

impl Digest {
    /// The digest of no rows (SHA-256 of nothing).
    pub fn empty() -> Digest {
        Digest::of(Vec::<&[u8]>::new())
    }

    /// The digest of `rows`, each already joined by [`UNIT_SEPARATOR`].
    pub fn of<R: AsRef<[u8]>>(mut rows: Vec<R>) -> Digest {
        rows.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
        let mut h = Sha256::new();
        for r in &rows {
            h.update(r.as_ref());
            h.update(b"\n");
        }
        Digest { rows: rows.len() as u64, sha256: h.finalize().into() }
    }

    /// `sha256:<hex>`.
    pub fn hex(&self) -> String {
        sha256_text(&self.sha256)
    }
}

/// `sha256:<64 hex digits>`.
pub fn sha256_text(bytes: &[u8; 32]) -> String {
    format!("sha256:{}", hex(bytes))
}

/// A digest as 64 lower-case hex digits.
pub fn hex(bytes: &[u8; 32]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(64);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The SHA-256 of a whole file's bytes (a closing's own digest).
pub fn sha256_of(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Parses `sha256:<64 lowercase or uppercase hex digits>`.
pub fn parse_sha256(s: &str) -> Option<[u8; 32]> {
    let hex = s.strip_prefix("sha256:")?.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in hex.chunks(2).enumerate() {
        let d = |c: u8| (c as char).to_digit(16);
        out[i] = u8::try_from(d(pair[0])? * 16 + d(pair[1])?).ok()?;
    }
    Some(out)
}

/// Canonical rows collected in one buffer (no allocation per row), each
/// tagged with a group (contract, month) and where it stands in its file.
#[derive(Debug)]
pub struct Rows<G> {
    bytes: Vec<u8>,
    /// (group, start, end in `bytes`, where: file index and byte offset).
    index: Vec<(G, usize, usize, (usize, usize))>,
}

impl<G> Default for Rows<G> {
    fn default() -> Rows<G> {
        Rows { bytes: Vec::new(), index: Vec::new() }
    }
}

impl<G: Copy + Ord> Rows<G> {
    /// Adds one row of `group` from its values in canonical column order.
    pub fn push<'v>(&mut self, group: G, at: (usize, usize), values: impl IntoIterator<Item = &'v str>) {
        let start = self.bytes.len();
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.bytes.push(UNIT_SEPARATOR);
            }
            self.bytes.extend_from_slice(v.as_bytes());
        }
        self.index.push((group, start, self.bytes.len(), at));
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Room for `rows` more rows of `bytes` bytes in all.
    pub fn reserve(&mut self, bytes: usize, rows: usize) {
        self.bytes.reserve(bytes);
        self.index.reserve(rows);
    }

    /// Takes in the rows of `other` (a later share of the same files).
    pub fn absorb(&mut self, other: Rows<G>) {
        if self.index.is_empty() {
            *self = other;
            return;
        }
        let shift = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.index.extend(other.index.into_iter().map(|(g, s, e, at)| (g, s + shift, e + shift, at)));
    }

    /// The digest of every group, in group order; the rows are consumed.
    pub fn digests(mut self) -> Vec<(G, Digest)> {
        let bytes = &self.bytes;
        // By group first, keeping the file's order within each: a time log
        // is written in date order, so most groups are sorted already and
        // cost one pass to confirm.
        self.index.sort_by_key(|r| r.0);
        let by_bytes = |a: &(G, usize, usize, (usize, usize)), b: &(G, usize, usize, (usize, usize))| {
            bytes[a.1..a.2].cmp(&bytes[b.1..b.2])
        };
        self.index
            .chunk_by_mut(|a, b| a.0 == b.0)
            .map(|group| {
                if !group.is_sorted_by(|a, b| by_bytes(a, b).is_le()) {
                    group.sort_unstable_by(by_bytes);
                }
                let mut h = Sha256::new();
                for &(_, s, e, _) in group.iter() {
                    h.update(&bytes[s..e]);
                    h.update(b"\n");
                }
                (group[0].0, Digest { rows: group.len() as u64, sha256: h.finalize().into() })
            })
            .collect()
    }

    /// The rows of `group` with where they stand (file index, byte offset).
    pub fn of_group(&self, group: G) -> Vec<(&[u8], (usize, usize))> {
        self.index.iter().filter(|r| r.0 == group).map(|&(_, s, e, at)| (&self.bytes[s..e], at)).collect()
    }
}

/// When `rows` hold exactly one row more than a closing recorded and leaving
/// out that one row gives the closing's digest, that row (its index in
/// `rows`): one entry that arrived after the closing, typically through a
/// git merge. Groups beyond `limit` rows are not searched (quadratic).
pub fn one_row_added<R: AsRef<[u8]>>(closed: &Digest, rows: &[R], limit: usize) -> Option<usize> {
    if rows.len() as u64 != closed.rows + 1 || rows.len() > limit {
        return None;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by(|&a, &b| rows[a].as_ref().cmp(rows[b].as_ref()));
    (0..order.len()).find_map(|skip| {
        let mut h = Sha256::new();
        for (k, &i) in order.iter().enumerate() {
            if k != skip {
                h.update(rows[i].as_ref());
                h.update(b"\n");
            }
        }
        let sha: [u8; 32] = h.finalize().into();
        (sha == closed.sha256).then_some(order[skip])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_digest_is_sha256_of_nothing() {
        assert_eq!(Digest::empty().hex(), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(Digest::empty().rows, 0);
    }

    #[test]
    fn known_value_of_two_rows() {
        // printf 'a\x1fb\nc\x1fd\n' | sha256sum
        let d = Digest::of(vec![b"c\x1fd".to_vec(), b"a\x1fb".to_vec()]);
        assert_eq!(d.rows, 2);
        assert_eq!(d.hex(), sha256_text(&sha256_of(b"a\x1fb\nc\x1fd\n")));
    }

    #[test]
    fn text_round_trip() {
        let d = Digest::of(vec!["x"]);
        assert_eq!(parse_sha256(&d.hex()), Some(d.sha256));
        assert_eq!(parse_sha256(&d.hex().to_uppercase().replace("SHA256:", "sha256:")), Some(d.sha256));
        for bad in ["", "sha256:", "sha256:zz", "md5:00", &d.hex()[..70]] {
            assert_eq!(parse_sha256(bad), None, "{bad}");
        }
    }

    #[test]
    fn grouped_rows_give_the_digest_of_each_group() {
        let mut rows: Rows<(u8, u8)> = Rows::default();
        rows.push((1, 1), (0, 0), ["2026-10-02", "acme", "30"]);
        rows.push((0, 1), (0, 10), ["2026-10-03", "beta", "45"]);
        let mut later = Rows::default();
        later.push((1, 1), (1, 0), ["2026-10-01", "acme", "15"]);
        rows.absorb(later);
        assert_eq!(rows.of_group((1, 1)).len(), 2);
        let d = rows.digests();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], ((0, 1), Digest::of(vec!["2026-10-03\x1fbeta\x1f45"])));
        assert_eq!(
            d[1],
            ((1, 1), Digest::of(vec!["2026-10-02\x1facme\x1f30", "2026-10-01\x1facme\x1f15"])),
            "rows of a group sorted whatever the order read"
        );
    }

    #[test]
    fn the_one_row_added_after_a_closing_is_found() {
        let closed = Digest::of(vec!["a", "c", "b"]);
        let now = ["b", "late", "a", "c"];
        assert_eq!(one_row_added(&closed, &now, 100), Some(1));
        assert_eq!(one_row_added(&closed, &["b", "x", "a", "y"], 100), None, "two rows changed");
        assert_eq!(one_row_added(&closed, &["a", "b", "c"], 100), None, "same count");
        assert_eq!(one_row_added(&closed, &now, 3), None, "over the limit");
    }
}
