//! The one home of money and duration arithmetic: exact decimals, the
//! invoice rounding rule, minutes, rounding increments and the `h:mm` and
//! duration text forms of SPEC §4.
//!
//! Nothing here reads files or prints. Binary floating point never appears:
//! money is a [`rust_decimal::Decimal`], durations are whole minutes.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

/// Invoice rounding (SPEC §3): to cents, half **away from zero**.
///
/// `0.125 → 0.13`, `-2.345 → -2.35`. `Decimal::round_dp` would round half to
/// even (`0.125 → 0.12`), which is wrong for invoices, so every rounding of an
/// amount goes through [`round2`] and this constant.
pub const INVOICE_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// Round to cents, half away from zero (SPEC §3 `round2`).
pub fn round2(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, INVOICE_ROUNDING);
    r.rescale(2);
    r
}

/// An amount of money, always held with exactly two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Default for Money {
    /// [`Money::ZERO`], with its two decimals (a derived default would be a
    /// zero without decimals and print as `0`).
    fn default() -> Money {
        Money::ZERO
    }
}

impl Money {
    /// `0.00`: with its two decimals, so that an empty sum prints as money.
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Rounds `x` to cents (half away from zero).
    pub fn round(x: Decimal) -> Money {
        Money(round2(x))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// `minutes × rate_per_hour / 60`, rounded to cents.
    pub fn for_minutes(minutes: u64, rate_per_hour: Money) -> Money {
        Money::round(Decimal::from(minutes) * rate_per_hour.0 / Decimal::from(60))
    }

    /// `self × percent / 100`, rounded to cents.
    pub fn percent(self, percent: Decimal) -> Money {
        Money::round(self.0 * percent / Decimal::from(100))
    }

    /// `hours × rate`, rounded to cents (exact for cent rates).
    pub fn times(self, n: u64) -> Money {
        Money::round(self.0 * Decimal::from(n))
    }
}

impl Money {
    /// Whether the amount is below zero (a credit).
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The amount without its sign.
    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    /// Exact: both sides have two decimals, so the difference has too.
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        // `0.00` stays `0.00`, never `-0.00`.
        if self.0.is_zero() { Money::ZERO } else { Money(-self.0) }
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    /// Plain machine form: `1234.50` (no grouping, `.` decimal point).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A percentage such as a VAT rate, shown normalised (`19`, `7`, `19.5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(Decimal);

impl Percent {
    pub fn new(d: Decimal) -> Percent {
        Percent(d.normalize())
    }
    pub fn decimal(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a decimal text was refused as money or a percentage.
#[derive(Debug, PartialEq, Eq)]
pub enum DecimalError {
    NotANumber,
    Negative,
    TooManyDecimals(u32),
}

/// Parses exact decimal text: digits with an optional `.` and fraction, no
/// sign, no exponent, no grouping. `max_decimals` counts significant decimals
/// (`100.50` has one).
pub fn parse_decimal(text: &str, max_decimals: u32) -> Result<Decimal, DecimalError> {
    let t = text;
    if t.starts_with('-') && t.len() > 1 && t[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(DecimalError::Negative);
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) || int.len() > 15 {
        return Err(DecimalError::NotANumber);
    }
    let d = Decimal::from_str(t).map_err(|_| DecimalError::NotANumber)?;
    let scale = d.normalize().scale();
    if scale > max_decimals {
        return Err(DecimalError::TooManyDecimals(scale));
    }
    Ok(d)
}

/// Minutes as hours, rounded half away from zero to 4 decimals: the
/// quantity of an e-invoice line in hours (`HUR`). `7 → 0.1167`,
/// `120 → 2.0000`, `1 → 0.0167`.
pub fn hours4(minutes: u64) -> Decimal {
    let mut h = (Decimal::from(minutes) / Decimal::from(60)).round_dp_with_strategy(4, INVOICE_ROUNDING);
    h.rescale(4);
    h
}

/// Rounds `minutes` up to the next multiple of `increment` (SPEC §3 `billed`).
/// An increment of 0 or 1 leaves the minutes as they are.
pub fn round_up(minutes: u64, increment: u32) -> u64 {
    let inc = u64::from(increment.max(1));
    minutes.div_ceil(inc) * inc
}

/// Minutes as `h:mm` (`1410 → 23:30`), the form of all human output.
pub fn hm(minutes: u64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// Signed minutes as `+1:30` / `-0:45` (corrections).
pub fn hm_signed(minutes: i64) -> String {
    format!("{}{}", if minutes < 0 { "-" } else { "+" }, hm(minutes.unsigned_abs()))
}

/// A billing increment in the form it is written (`1m`, `15m`, `1h`).
pub fn increment_text(minutes: u32) -> String {
    if minutes >= 60 && minutes.is_multiple_of(60) { format!("{}h", minutes / 60) } else { format!("{minutes}m") }
}

/// Minutes in the short duration form: `12h`, `1h30m`, `45m`.
pub fn duration_text(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// The accepted duration forms, for error messages.
pub const DURATION_FORMS: &str = "45m, 2h, 1h30m, 1:30, 1.5h or a whole number of minutes";

/// The largest duration accepted anywhere (1,000 hours): far above any
/// real entry, far below any overflow.
pub const MAX_DURATION_MINUTES: u64 = 60_000;

/// Parses a duration of SPEC §4 into whole minutes (> 0).
///
/// `45m`, `2h`, `1h30m`, `1:30`, `1.5h` (decimal hours that come out to whole
/// minutes; `1.01h` is refused, not rounded) or bare minutes `90`.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = || format!("\"{text}\" is not a duration (use {DURATION_FORMS})");
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    let num = |s: &str| -> Result<u64, String> {
        if all_digits(s) { s.parse::<u64>().map_err(|_| bad()) } else { Err(bad()) }
    };
    let minutes = if let Some((h, m)) = text.split_once(':') {
        if m.len() != 2 {
            return Err(bad());
        }
        let (h, m) = (num(h)?, num(m)?);
        if m >= 60 {
            return Err(bad());
        }
        h * 60 + m
    } else if let Some(rest) = text.strip_suffix('m') {
        match rest.split_once('h') {
            Some((h, m)) => {
                let m = num(m)?;
                if m >= 60 {
                    return Err(bad());
                }
                num(h)? * 60 + m
            }
            None => num(rest)?,
        }
    } else if let Some(h) = text.strip_suffix('h') {
        match h.split_once('.') {
            Some((i, f)) if all_digits(f) => {
                let d = Decimal::from_str(&format!("{}.{}", num(i)?, f)).map_err(|_| bad())?;
                let m = d * Decimal::from(60);
                if !m.fract().is_zero() {
                    return Err(format!(
                        "\"{text}\" is not a whole number of minutes ({} min); use minutes, e.g. {}m",
                        m.normalize(),
                        m.ceil()
                    ));
                }
                u64::try_from(m.trunc().mantissa() / 10i128.pow(m.trunc().scale())).map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
            None => num(h)? * 60,
        }
    } else {
        num(text)?
    };
    if minutes == 0 {
        return Err(format!("\"{text}\" is zero; a duration is at least 1 minute (use {DURATION_FORMS})"));
    }
    if minutes > MAX_DURATION_MINUTES {
        return Err(format!("\"{text}\" is more than {} hours", MAX_DURATION_MINUTES / 60));
    }
    Ok(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn round2_is_half_away_from_zero() {
        assert_eq!(round2(d("0.125")).to_string(), "0.13");
        assert_eq!(round2(d("2.345")).to_string(), "2.35");
        assert_eq!(round2(d("-2.345")).to_string(), "-2.35");
        assert_eq!(round2(d("-61.085")).to_string(), "-61.09");
        assert_eq!(round2(d("190.285")).to_string(), "190.29");
        assert_eq!(round2(d("7")).to_string(), "7.00");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(std::iter::empty::<Money>().sum::<Money>().to_string(), "0.00");
        // banker's rounding would give 0.12 here
        assert_ne!(d("0.125").round_dp(2), round2(d("0.125")));
    }

    #[test]
    fn signed_money() {
        let a = Money::round(d("150.00"));
        let b = Money::round(d("200.50"));
        assert_eq!((a - b).to_string(), "-50.50");
        assert!((a - b).is_negative());
        assert_eq!((a - b).abs().to_string(), "50.50");
        assert_eq!((-(a - b)).to_string(), "50.50");
        assert_eq!((-Money::ZERO).to_string(), "0.00");
        assert!(!(-Money::ZERO).is_negative());
        assert_eq!((a - a).to_string(), "0.00");
        let mut c = a;
        c += b;
        assert_eq!(c.to_string(), "350.50");
    }

    #[test]
    fn money_for_minutes_half_cent() {
        // 15 min at 112.50 €/h = 28.125 → 28.13
        assert_eq!(Money::for_minutes(15, Money::round(d("112.50"))).to_string(), "28.13");
        // 7 min at 100 €/h = 11.666… → 11.67
        assert_eq!(Money::for_minutes(7, Money::round(d("100"))).to_string(), "11.67");
    }

    #[test]
    fn hours_to_four_decimals() {
        assert_eq!(hours4(7).to_string(), "0.1167");
        assert_eq!(hours4(120).to_string(), "2.0000");
        assert_eq!(hours4(1).to_string(), "0.0167");
        // Multiples of 3 minutes are exact; minutes / 60 never ends in an exact half.
        assert_eq!(hours4(3).to_string(), "0.0500");
    }

    #[test]
    fn vat_half_cent() {
        let net = Money::round(d("3809.50"));
        assert_eq!(net.percent(d("19")).to_string(), "723.81");
        assert_eq!(Money::round(d("1001.50")).percent(d("19")).to_string(), "190.29");
    }

    #[test]
    fn percent_is_normalised() {
        assert_eq!(Percent::new(d("19.00")).to_string(), "19");
        assert_eq!(Percent::new(d("19.50")).to_string(), "19.5");
        assert_eq!(Percent::new(d("0")).to_string(), "0");
    }

    #[test]
    fn parse_decimal_rules() {
        assert_eq!(parse_decimal("100.50", 2), Ok(d("100.50")));
        assert_eq!(parse_decimal("1600", 2), Ok(d("1600")));
        assert_eq!(parse_decimal("100.005", 2), Err(DecimalError::TooManyDecimals(3)));
        assert_eq!(parse_decimal("19.25", 4), Ok(d("19.25")));
        for bad in ["", "1,600", "1e2", "nan", "inf", ".5", "5.", "+5", " 5", "1_000"] {
            assert_eq!(parse_decimal(bad, 2), Err(DecimalError::NotANumber), "{bad}");
        }
        assert_eq!(parse_decimal("-5", 2), Err(DecimalError::Negative));
    }

    #[test]
    fn round_up_to_increment() {
        assert_eq!(round_up(1, 15), 15);
        assert_eq!(round_up(15, 15), 15);
        assert_eq!(round_up(16, 15), 30);
        assert_eq!(round_up(16, 1), 16);
        assert_eq!(round_up(8, 7), 14);
        assert_eq!(round_up(8, 0), 8);
    }

    #[test]
    fn hm_format() {
        assert_eq!(hm(1410), "23:30");
        assert_eq!(hm(5), "0:05");
        assert_eq!(hm(0), "0:00");
    }

    #[test]
    fn durations_accepted() {
        for (t, m) in [
            ("45m", 45),
            ("2h", 120),
            ("1h30m", 90),
            ("1:30", 90),
            ("0:05", 5),
            ("1.5h", 90),
            ("0.25h", 15),
            ("90", 90),
            ("1h", 60),
            ("15m", 15),
        ] {
            assert_eq!(parse_duration(t), Ok(m), "{t}");
        }
    }

    #[test]
    fn durations_refused() {
        for t in [
            "",
            "0",
            "0m",
            "-30m",
            "1:60",
            "1:5",
            "1,5h",
            "1.01h",
            "1h70x",
            "1h70m",
            "2H",
            "1.5",
            " 90",
            "99999999h",
            "٢h",
            "1h30",
            "h",
            "m",
            ":30",
            "1.h",
            ".5h",
            "+5",
        ] {
            assert!(parse_duration(t).is_err(), "{t:?} should be refused");
        }
        assert!(parse_duration("1.01h").unwrap_err().contains("whole number of minutes"));
    }
}
