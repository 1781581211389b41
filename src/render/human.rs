//! Number formats of human output (SPEC §2.1 `locale`, §4 `h:mm`). How wide
//! that output may be is `render::width`.

use crate::model::amount::hm;
use crate::model::{Locale, Money};

/// `1,234.50 EUR` (en) or `1.234,50 EUR` (de).
pub fn money(m: Money, locale: Locale, currency: &str) -> String {
    format!("{} {currency}", amount(m, locale))
}

/// `1,234.50` (en) or `1.234,50` (de): money where a title or header names
/// the currency once. A zero is `0.00`, never `-0.00`.
pub fn amount(m: Money, locale: Locale) -> String {
    let neg = m.is_negative();
    let s = m.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (group, point) = match locale {
        Locale::En => (',', '.'),
        Locale::De => ('.', ','),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    format!("{}{grouped}{point}{frac}", if neg { "-" } else { "" })
}

/// Column constraints for comfy-table: figures never break across lines;
/// only the text columns in `wrap` may, down to 14 characters (which they
/// are also padded to). Tables are fitted by choosing columns
/// (`width::fit_table`); comfy-table wraps cells only when no layout fits.
pub fn keep_figures_whole(t: &mut comfy_table::Table, wrap: &[usize]) {
    use comfy_table::{ColumnConstraint, Width};
    for (i, col) in t.column_iter_mut().enumerate() {
        col.set_constraint(if wrap.contains(&i) {
            ColumnConstraint::LowerBoundary(Width::Fixed(14))
        } else {
            ColumnConstraint::ContentWidth
        });
    }
}

/// Minutes as `h:mm`.
pub fn hours(minutes: u64) -> String {
    hm(minutes)
}

/// `n thing` / `n things`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn money_formats() {
        let m = |s: &str| Money::round(s.parse::<Decimal>().unwrap());
        assert_eq!(money(m("1234567.5"), Locale::En, "EUR"), "1,234,567.50 EUR");
        assert_eq!(money(m("1234567.5"), Locale::De, "EUR"), "1.234.567,50 EUR");
        assert_eq!(money(m("100"), Locale::En, "CHF"), "100.00 CHF");
        assert_eq!(money(m("0"), Locale::En, "EUR"), "0.00 EUR");
        assert_eq!(amount(m("-1234.5"), Locale::De), "-1.234,50");
        assert_eq!(amount(m("999.99"), Locale::En), "999.99");
        // A zero is shown without a sign, whatever sign it carries.
        assert_eq!(amount(m("-0.004"), Locale::En), "0.00");
        assert_eq!(amount(-m("0"), Locale::De), "0,00");
    }
}
