//! A fast reader for closing files exactly as `close` writes them: one
//! `key = value` per line, `[[contract]]` and `[totals]` headers, values
//! that are basic or literal strings, decimal integers, arrays and inline
//! tables on one line. Anything else — a comment after a value, a number
//! where a string is written, a multi-line string, a key twice — gives
//! `None`, and the full TOML reader (with positions for its messages) reads
//! the file instead.
//!
//! Why: a closed month's report, `verify`, `check` and a statement's chart
//! read closings; the general TOML parser needs some 50 µs per contract,
//! which would make reading a closed month slower than computing it. A
//! property test keeps the two readers equal on every closing this one
//! accepts, including damaged ones.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::compute::closing::{ClosedContract, Closing, Previous, RowDigests};
use crate::compute::digest::{Digest, parse_sha256};
use crate::compute::{ContractMonth, CorrectionLine, Totals};
use crate::model::amount::{parse_decimal, parse_duration};
use crate::model::{Money, Month, Percent, Terms};

/// A value on one line; strings borrow the text unless they had escapes.
#[derive(Debug, PartialEq)]
enum V<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Arr(Vec<V<'a>>),
    Tab(Vec<(&'a str, V<'a>)>),
}

/// Parses a value at the start of `s`; returns it and the rest.
fn value(s: &str) -> Option<(V<'_>, &str)> {
    let b = s.as_bytes();
    match *b.first()? {
        b'"' => basic(&s[1..]).map(|(v, r)| (V::Str(v), r)),
        b'\'' => {
            let end = memchr::memchr(b'\'', &b[1..])?;
            let text = &s[1..1 + end];
            // C1 controls and the like: left to the full reader.
            if text.chars().any(|c| c.is_control() && c != '\t') {
                return None;
            }
            Some((V::Str(Cow::Borrowed(text)), &s[2 + end..]))
        }
        b'[' => {
            let mut rest = s[1..].trim_start_matches(' ');
            let mut items = Vec::new();
            if let Some(r) = rest.strip_prefix(']') {
                return Some((V::Arr(items), r));
            }
            loop {
                let (v, r) = value(rest)?;
                items.push(v);
                let r = r.trim_start_matches(' ');
                if let Some(r) = r.strip_prefix(']') {
                    return Some((V::Arr(items), r));
                }
                rest = r.strip_prefix(',')?.trim_start_matches(' ');
            }
        }
        b'{' => {
            let mut rest = s[1..].trim_start_matches(' ');
            let mut items: Vec<(&str, V<'_>)> = Vec::new();
            if let Some(r) = rest.strip_prefix('}') {
                return Some((V::Tab(items), r));
            }
            loop {
                let (k, r) = key(rest)?;
                let r = r.trim_start_matches(' ').strip_prefix('=')?.trim_start_matches(' ');
                let (v, r) = value(r)?;
                if items.iter().any(|(x, _)| *x == k) {
                    return None;
                }
                items.push((k, v));
                let r = r.trim_start_matches(' ');
                if let Some(r) = r.strip_prefix('}') {
                    return Some((V::Tab(items), r));
                }
                rest = r.strip_prefix(',')?.trim_start_matches(' ');
            }
        }
        b'-' | b'0'..=b'9' => {
            let end = s[1..].find(|c: char| !c.is_ascii_digit()).map_or(s.len(), |e| e + 1);
            let digits = s[..end].trim_start_matches('-');
            // TOML forbids leading zeros; anything unusual goes to the full reader.
            if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
                return None;
            }
            Some((V::Int(s[..end].parse().ok()?), &s[end..]))
        }
        _ => None,
    }
}

/// A basic string's text after its opening quote, with TOML's escapes.
fn basic(s: &str) -> Option<(Cow<'_, str>, &str)> {
    // Most strings have no escape: the text as it stands.
    let end = memchr::memchr2(b'"', b'\\', s.as_bytes())?;
    if s.as_bytes()[end] == b'"' {
        let text = &s[..end];
        if text.chars().any(|c| c.is_control() && c != '\t') {
            return None;
        }
        return Some((Cow::Borrowed(text), &s[end + 1..]));
    }
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), &s[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'e' => out.push('\u{1b}'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let hex: String = (0..n).map(|_| chars.next().map(|(_, h)| h)).collect::<Option<_>>()?;
                        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return None;
                        }
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    _ => return None,
                }
            }
            c if c.is_control() && c != '\t' => return None,
            c => out.push(c),
        }
    }
    None
}

/// A bare key at the start of `s`.
fn key(s: &str) -> Option<(&str, &str)> {
    let end = s.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-')).unwrap_or(s.len());
    (end > 0).then(|| (&s[..end], &s[end..]))
}

/// One table's keys, each once.
#[derive(Default)]
struct Keys<'a>(Vec<(&'a str, V<'a>)>);

impl<'a> Keys<'a> {
    fn take(&mut self, k: &str) -> Option<V<'a>> {
        let i = self.0.iter().position(|(x, _)| *x == k)?;
        Some(self.0.swap_remove(i).1)
    }
    fn string(&mut self, k: &str) -> Option<String> {
        match self.take(k)? {
            V::Str(s) => Some(s.into_owned()),
            _ => None,
        }
    }
    fn int(&mut self, k: &str) -> Option<i64> {
        match self.take(k)? {
            V::Int(n) => Some(n),
            _ => None,
        }
    }
    fn count(&mut self, k: &str) -> Option<u64> {
        u64::try_from(self.int(k)?).ok()
    }
    fn money(&mut self, k: &str) -> Option<Money> {
        money(&self.string(k)?)
    }
    fn percent(&mut self, k: &str) -> Option<Percent> {
        percent(&self.string(k)?)
    }
    fn digest(&mut self, rows: &str, sha: &str) -> Option<Digest> {
        Some(Digest { rows: self.count(rows)?, sha256: parse_sha256(&self.string(sha)?)? })
    }
}

fn money(s: &str) -> Option<Money> {
    match s.strip_prefix('-') {
        Some(abs) => Some(-Money::round(parse_decimal(abs, 2).ok()?)),
        None => Some(Money::round(parse_decimal(s, 2).ok()?)),
    }
}

fn percent(s: &str) -> Option<Percent> {
    let d = parse_decimal(s, 4).ok()?;
    (d <= rust_decimal::Decimal::from(100)).then(|| Percent::new(d))
}

fn contract(mut k: Keys<'_>) -> Option<ClosedContract> {
    let terms = if super::closings::TERM_KEYS.iter().any(|t| k.0.iter().any(|(x, _)| x == t)) {
        let tier = match k.take("tier") {
            None => None,
            Some(V::Str(s)) => Some(s.into_owned()),
            Some(_) => return None,
        };
        let rounding = parse_duration(&k.string("rounding")?).ok().filter(|m| *m <= 24 * 60)?;
        Some(Terms {
            tier,
            hours: k.count("hours")?,
            rate: Money::round(parse_decimal(&k.string("rate")?, 2).ok()?),
            overage_rate: Money::round(parse_decimal(&k.string("overage_rate")?, 2).ok()?),
            vat_rate: k.percent("vat_rate")?,
            rounding: u32::try_from(rounding).ok()?,
        })
    } else {
        None
    };
    let V::Arr(items) = k.take("corrections")? else { return None };
    let mut corrections = Vec::new();
    for item in items {
        let V::Tab(fields) = item else { return None };
        let mut l = Keys(fields);
        let V::Arr(reasons) = l.take("reasons")? else { return None };
        let reasons = reasons
            .into_iter()
            .map(|r| if let V::Str(s) = r { Some(s.into_owned()) } else { None })
            .collect::<Option<_>>()?;
        let line = CorrectionLine {
            month: l.string("month")?.parse().ok()?,
            minutes: l.int("minutes")?,
            amount: l.money("amount")?,
            vat_rate: l.percent("vat_rate")?,
            reasons,
        };
        if !l.0.is_empty() {
            return None;
        }
        corrections.push(line);
    }
    let figures = ContractMonth {
        contract: k.string("id")?,
        customer: k.string("customer")?,
        tier: terms.as_ref().and_then(|t| t.tier.clone()),
        quota_minutes: k.count("quota_minutes")?,
        used_minutes: k.count("used_minutes")?,
        escalated_minutes: k.count("escalated_minutes")?,
        nonbillable_minutes: k.count("nonbillable_minutes")?,
        forfeited_minutes: k.count("forfeited_minutes")?,
        overage_minutes: k.count("overage_minutes")?,
        approved_minutes: k.count("approved_minutes")?,
        approved_overage_minutes: k.count("approved_overage_minutes")?,
        unapproved_overage_minutes: k.count("unapproved_overage_minutes")?,
        written_off_minutes: k.count("written_off_minutes")?,
        rate: terms.as_ref().map(|t| t.rate),
        overage_rate: terms.as_ref().map(|t| t.overage_rate),
        vat_rate: terms.as_ref().map(|t| t.vat_rate),
        fee: k.money("fee")?,
        overage_amount: k.money("overage_amount")?,
        corrections,
        correction_amount: k.money("correction_amount")?,
        net: k.money("net")?,
        vat: k.money("vat")?,
        gross: k.money("gross")?,
    };
    let rows = RowDigests {
        timelog: k.digest("timelog_rows", "timelog_sha256")?,
        approvals: k.digest("approval_rows", "approvals_sha256")?,
        corrections: k.digest("correction_rows", "corrections_sha256")?,
    };
    k.0.is_empty().then_some(ClosedContract { terms, figures, rows })
}

/// Parses a closing file written by `close`; `None` for anything else.
pub fn parse(src: &str) -> Option<Closing> {
    enum At {
        Top,
        Contract,
        Totals,
    }
    let mut at = At::Top;
    let mut top = Keys::default();
    let mut contracts: Vec<Keys<'_>> = Vec::new();
    let mut totals: Option<Keys<'_>> = None;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', src.as_bytes()).chain(std::iter::once(src.len()));
    for end in ends {
        let line = &src[start..end];
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') && matches!(at, At::Top) && top.0.is_empty() {
            // TOML allows no control characters in comments but the tab.
            if line.chars().any(|c| c.is_control() && c != '\t') {
                return None;
            }
            continue;
        }
        match line {
            "[[contract]]" => {
                contracts.push(Keys::default());
                at = At::Contract;
                continue;
            }
            "[totals]" if totals.is_none() => {
                totals = Some(Keys::default());
                at = At::Totals;
                continue;
            }
            _ => {}
        }
        let (k, rest) = key(line)?;
        let (v, rest) = value(rest.strip_prefix(" = ")?)?;
        if !rest.is_empty() {
            return None;
        }
        let table = match at {
            At::Top => &mut top,
            At::Contract => contracts.last_mut()?,
            At::Totals => totals.as_mut()?,
        };
        if table.0.iter().any(|(x, _)| *x == k) {
            return None;
        }
        table.0.push((k, v));
    }
    let previous = match top.take("previous") {
        None => None,
        Some(V::Tab(p)) => {
            let mut p = Keys(p);
            let prev =
                Previous { month: p.string("month")?.parse().ok()?, sha256: parse_sha256(&p.string("sha256")?)? };
            if !p.0.is_empty() {
                return None;
            }
            Some(prev)
        }
        Some(_) => return None,
    };
    let month: Month = top.string("month")?.parse().ok()?;
    let closed_at = top.string("closed_at")?;
    let closed_by = top.string("closed_by")?;
    let currency = top.string("currency")?;
    if !top.0.is_empty() {
        return None;
    }
    let mut t = totals?;
    let totals = Totals {
        fee: t.money("fee")?,
        overage_amount: t.money("overage_amount")?,
        correction_amount: t.money("correction_amount")?,
        net: t.money("net")?,
        vat: t.money("vat")?,
        gross: t.money("gross")?,
    };
    if !t.0.is_empty() {
        return None;
    }
    let mut contracts: Vec<ClosedContract> = contracts.into_iter().map(contract).collect::<Option<_>>()?;
    contracts.sort_by(|a, b| a.figures.contract.cmp(&b.figures.contract));
    let mut ids = HashSet::new();
    if !contracts.iter().all(|c| ids.insert(c.figures.contract.clone())) {
        return None;
    }
    Some(Closing { month, closed_at, closed_by, currency, previous, contracts, totals })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_on_one_line() {
        assert_eq!(value("\"a\\\"b\\u00e4\" x"), Some((V::Str("a\"bä".into()), " x")));
        assert_eq!(value("\"plain\" x"), Some((V::Str("plain".into()), " x")));
        assert_eq!(value("'ACME \"Ost\"'"), Some((V::Str("ACME \"Ost\"".into()), "")));
        assert_eq!(value("-42,"), Some((V::Int(-42), ",")));
        assert_eq!(value("[]"), Some((V::Arr(vec![]), "")));
        assert_eq!(
            value("[{ month = \"2026-09\", reasons = [\"x\", \"y\"] }]"),
            Some((
                V::Arr(vec![V::Tab(vec![
                    ("month", V::Str("2026-09".into())),
                    ("reasons", V::Arr(vec![V::Str("x".into()), V::Str("y".into())]))
                ])]),
                ""
            ))
        );
        for odd in ["0x10", "1_000", "1.5", "01", "\"open", "\"\\q\"", "{ a = 1, a = 2 }", "true", "\"\"\"x\"\"\""] {
            assert!(value(odd).is_none_or(|(_, rest)| !rest.is_empty()), "{odd}");
        }
    }
}
