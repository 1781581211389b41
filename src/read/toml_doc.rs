//! Reading TOML files key by key with positions: unknown keys name the closest
//! known one, and money and percentages are taken from their literal text so
//! that binary floating point never touches them (SPEC §2.1, §6.1).

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{Lines, Problems};
use super::suggest;
use crate::model::amount::{self, DecimalError};
use crate::model::{Money, Month, Percent};

/// A parsed TOML file and the sink for its problems.
pub struct TomlDoc<'a> {
    pub file: &'a str,
    src: &'a str,
    pub problems: &'a mut Problems,
}

pub type Table<'i> = DeTable<'i>;
pub type Value<'i> = Spanned<DeValue<'i>>;

impl<'a> TomlDoc<'a> {
    pub fn new(file: &'a str, src: &'a str, problems: &'a mut Problems) -> TomlDoc<'a> {
        TomlDoc { file, src, problems }
    }

    /// Parses the document; a syntax error is recorded and gives `None`.
    pub fn parse(&mut self) -> Option<Table<'a>> {
        match DeTable::parse(self.src) {
            Ok(t) => Some(t.into_inner()),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                self.error(span, format!("invalid TOML: {msg}"));
                None
            }
        }
    }

    /// The 1-based line and column of byte `at`, as an error there shows them.
    pub fn position(&self, at: usize) -> (usize, usize) {
        let mut lines = Lines::new(self.src.as_bytes());
        (lines.line(at), lines.column(at))
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let mut lines = Lines::new(self.src.as_bytes());
        // An error at the very end of a text that ends with a line break
        // (say an unclosed string) is shown at the end of the last line.
        let at = if span.start >= self.src.len() && self.src.ends_with('\n') {
            self.src.trim_end_matches(['\n', '\r']).len()
        } else {
            span.start
        };
        let line = lines.line(at);
        let col = lines.column(at);
        self.problems.error(self.file, Some(line), Some(col), message);
    }

    pub fn warning(&mut self, span: Range<usize>, message: impl Into<String>) {
        let mut lines = Lines::new(self.src.as_bytes());
        let line = lines.line(span.start);
        self.problems.warning(self.file, Some(line), None, message);
    }

    /// Records every key of `table` that is not in `known`, naming the closest.
    pub fn check_keys(&mut self, table: &Table<'_>, known: &[&str], context: &str) {
        for (k, _) in table.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                let key = k.get_ref().to_string();
                let hint = suggest::closest(&key, known.iter().copied())
                    .map(|c| format!("did you mean \"{c}\"?"))
                    .unwrap_or_else(|| format!("known keys: {}", known.join(", ")));
                self.error(k.span(), format!("{key}: unknown key{context} ({hint})"));
            }
        }
    }

    fn type_error(&mut self, key: &str, v: &Value<'_>, expected: &str) {
        let found = describe(v.get_ref());
        self.error(v.span(), format!("{key}: expected {expected}, found {found}"));
    }

    pub fn string(&mut self, t: &Table<'_>, key: &str) -> Option<(String, Range<usize>)> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            _ => {
                self.type_error(key, v, "a string");
                None
            }
        }
    }

    pub fn whole(&mut self, t: &Table<'_>, key: &str) -> Option<(u64, Range<usize>)> {
        let v = t.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok().filter(|n| *n > 0 && *n <= 10_000),
            _ => None,
        };
        if n.is_none() {
            self.type_error(key, v, "a whole number from 1 to 10000");
        }
        n.map(|n| (n, v.span()))
    }

    /// A whole number from 0 up (minutes, row counts).
    pub fn count(&mut self, t: &Table<'_>, key: &str) -> Option<u64> {
        self.signed(t, key).and_then(|n| {
            let u = u64::try_from(n).ok();
            if u.is_none() {
                let span = t.get(key).map(|v| v.span()).unwrap_or(0..0);
                self.error(span, format!("{key}: {n} is below zero"));
            }
            u
        })
    }

    /// A whole number, may be negative.
    pub fn signed(&mut self, t: &Table<'_>, key: &str) -> Option<i64> {
        let v = t.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        if n.is_none() {
            self.type_error(key, v, "a whole number");
        }
        n
    }

    /// An amount of money that may be negative (`"-50.00"`): a credit.
    pub fn signed_money(&mut self, t: &Table<'_>, key: &str) -> Option<Money> {
        let v = t.get(key)?;
        if let DeValue::String(s) = v.get_ref()
            && let Some(abs) = s.strip_prefix('-')
        {
            return match amount::parse_decimal(abs, 2) {
                Ok(d) => Some(-Money::round(d)),
                Err(_) => {
                    self.error(v.span(), format!("{key}: \"{s}\" is not an amount of money"));
                    None
                }
            };
        }
        self.money(t, key)
    }

    fn exact(&mut self, t: &Table<'_>, key: &str, max_decimals: u32, what: &str) -> Option<Decimal> {
        let example = if max_decimals > 2 { "19" } else { "100.00" };
        let v = t.get(key)?;
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_string(),
            DeValue::Float(f) => {
                let raw = f.as_str();
                let lower = raw.to_ascii_lowercase();
                if lower.contains("nan") || lower.contains("inf") || lower.contains('e') {
                    self.error(
                        v.span(),
                        format!(
                            "{key}: {raw} is not an exact amount; write {what} as a string, e.g. {key} = \"{example}\""
                        ),
                    );
                    return None;
                }
                // Judge the float by its shortest decimal text as parsed: a
                // literal whose digits a float cannot hold has lost some.
                let parsed: f64 = raw.parse().unwrap_or(f64::NAN);
                let short = format!("{parsed}");
                let same = match (raw.parse::<Decimal>(), short.parse::<Decimal>()) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                };
                if !same {
                    self.error(v.span(), format!("{key}: {raw} loses digits as a TOML float (it reads as {short}); write it as a string: {key} = \"{raw}\""));
                    return None;
                }
                raw.to_string()
            }
            _ => {
                self.type_error(key, v, &format!("{what} as a string such as \"{example}\""));
                return None;
            }
        };
        match amount::parse_decimal(&text, max_decimals) {
            Ok(d) => Some(d),
            Err(e) => {
                let why = match e {
                    DecimalError::NotANumber => {
                        format!("is not {what} (expected digits with an optional decimal point, e.g. \"{example}\")")
                    }
                    DecimalError::Negative => "must not be negative".to_string(),
                    DecimalError::TooManyDecimals(_) => format!("has more than {max_decimals} decimals"),
                };
                self.error(v.span(), format!("{key}: \"{text}\" {why}"));
                None
            }
        }
    }

    pub fn money(&mut self, t: &Table<'_>, key: &str) -> Option<Money> {
        self.exact(t, key, 2, "an amount of money").map(Money::round)
    }

    pub fn percent(&mut self, t: &Table<'_>, key: &str) -> Option<Percent> {
        let v = self.exact(t, key, 4, "a percentage")?;
        if v > Decimal::from(100) {
            let span = t.get(key).map(|v| v.span()).unwrap_or(0..0);
            self.error(span, format!("{key}: {v} is more than 100 percent"));
            return None;
        }
        Some(Percent::new(v))
    }

    pub fn month(&mut self, t: &Table<'_>, key: &str) -> Option<(Month, Range<usize>)> {
        let (s, span) = self.string(t, key)?;
        match s.parse::<Month>() {
            Ok(m) => Some((m, span)),
            Err(()) => {
                self.error(span.clone(), format!("{key}: \"{s}\" is not a month (expected YYYY-MM)"));
                None
            }
        }
    }

    /// An array of strings.
    pub fn strings(&mut self, t: &Table<'_>, key: &str) -> Option<(Vec<String>, Range<usize>)> {
        let v = t.get(key)?;
        let items = match v.get_ref() {
            DeValue::Array(a) => a
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<String>>>(),
            _ => None,
        };
        if items.is_none() {
            self.type_error(key, v, "an array of strings");
        }
        items.map(|i| (i, v.span()))
    }

    /// A billing increment such as `"15m"` (SPEC §4).
    pub fn increment(&mut self, t: &Table<'_>, key: &str) -> Option<u32> {
        let (s, span) = self.string(t, key)?;
        match amount::parse_duration(&s) {
            Ok(m) if m <= 24 * 60 => Some(m as u32),
            Ok(_) => {
                self.error(span, format!("{key}: \"{s}\" is longer than a day"));
                None
            }
            Err(e) => {
                self.error(span, format!("{key}: {e}"));
                None
            }
        }
    }
}

fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("string \"{s}\""),
        DeValue::Integer(i) => format!("integer {i}"),
        DeValue::Float(f) => format!("float {f}"),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("date {d}"),
        DeValue::Array(_) => "an array".into(),
        DeValue::Table(_) => "a table".into(),
    }
}
