//! Instants of ticket events (SPEC §7): parsing the `at` column of
//! `tickets.csv` and the `--at` option, formatting instants back as RFC 3339,
//! and resolving a local wall time to an instant in the ledger's timezone.
//! A local time the clocks skip (the hour lost in March) or show twice (the
//! hour repeated in October) is refused here, never guessed (RELIABILITY V11).
//! Pure functions: no I/O, no clock reads.

use chrono::{
    DateTime, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

/// Ticket times lie in the years 1900 to 9999 in the ledger's zone: earlier
/// local mean time has offsets with seconds, which no minute-exact time can
/// write back, and later years do not fit `YYYY`.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// Parses an event time: RFC 3339 (`2026-11-20T09:15:00+01:00`; seconds may
/// be left out, `2026-11-20T09:15+01:00`; `Z` for UTC) or a local time
/// `YYYY-MM-DD HH:MM` in `tz` (also with `T` or `:00` seconds). Returns the
/// instant in `tz`.
///
/// Decisions:
/// - Times are kept to the minute: seconds (and fractions) must be zero;
///   `09:15:30` is refused rather than silently cut.
/// - A local time in the gap of a daylight-saving change does not exist and
///   is refused; one in the fold exists twice and is refused unless written
///   with its offset (RELIABILITY V11). The messages say why and what to write.
/// - An RFC 3339 time with any offset is an exact instant and is accepted
///   even when the offset is not `tz`'s (a service desk export in UTC).
/// - Surrounding whitespace is ignored.
pub fn parse_at(s: &str, tz: Tz) -> Result<DateTime<Tz>, String> {
    let t = parse_at_any(s, tz)?;
    if !YEARS.contains(&chrono::Datelike::year(&t)) {
        return Err(format!("\"{}\" is outside the years {} to {} in {tz}", s.trim(), YEARS.start(), YEARS.end()));
    }
    Ok(t)
}

fn parse_at_any(s: &str, tz: Tz) -> Result<DateTime<Tz>, String> {
    let text = s.trim();
    let garbage = || {
        format!(
            "\"{text}\" is not a time: expected RFC 3339 (e.g. 2026-11-20T09:15:00+01:00) \
             or a local time YYYY-MM-DD HH:MM in {tz}"
        )
    };
    let p = Parts::scan(text).ok_or_else(garbage)?;
    let date = NaiveDate::from_ymd_opt(p.year, p.month, p.day)
        .ok_or_else(|| format!("\"{text}\": {:04}-{:02}-{:02} is not a date", p.year, p.month, p.day))?;
    let time = NaiveTime::from_hms_opt(p.hour, p.minute, 0)
        .ok_or_else(|| format!("\"{text}\": {:02}:{:02} is not a time of day", p.hour, p.minute))?;
    if p.second != 0 || p.fraction_nonzero {
        return Err(format!("\"{text}\": seconds must be 00 (times are kept to the minute)"));
    }
    let local = date.and_time(time);
    match p.offset {
        Some((sign, h, m)) => {
            // h and m are two digits each, so the seconds fit an i32.
            let seconds = sign * (h * 3600 + m * 60) as i32;
            let offset = (h < 24 && m < 60)
                .then(|| FixedOffset::east_opt(seconds))
                .flatten()
                .ok_or_else(|| format!("\"{text}\": {}{h:02}:{m:02} is not a UTC offset", sign_char(sign)))?;
            let fixed = offset.from_local_datetime(&local).single().ok_or_else(garbage)?;
            Ok(fixed.with_timezone(&tz))
        }
        None => match tz.from_local_datetime(&local) {
            MappedLocalTime::Single(t) => Ok(t),
            MappedLocalTime::Ambiguous(a, b) => {
                let (first, second) = if a <= b { (a, b) } else { (b, a) };
                Err(format!(
                    "\"{text}\" is ambiguous in {tz} (it occurs twice on {date}); write it with its offset, \
                     e.g. {} (the first) or {} (the second)",
                    format_at(first),
                    format_at(second)
                ))
            }
            MappedLocalTime::None => Err(gap_message(text, tz, local)),
        },
    }
}

/// Formats an instant as RFC 3339 in its own timezone's offset at that
/// instant, to the minute (seconds are dropped): `2026-10-26T11:00:00+01:00`.
/// [`parse_at`] reads it back to the same instant.
pub fn format_at(t: DateTime<Tz>) -> String {
    t.format("%Y-%m-%dT%H:%M:00%:z").to_string()
}

/// The first instant at which the clocks in `tz` read `local` or later.
///
/// For a local time that exists once this is that instant; for one in a fold
/// (it exists twice) the earlier; for one in a gap (it does not exist) the
/// instant the clocks jump, e.g. 2026-03-29 02:30 in Europe/Berlin gives
/// 03:00+02:00. This is how business hours are placed on the day of a
/// daylight-saving change. Monotone: a later `local` never gives an earlier
/// instant.
pub fn first_instant_at_or_after(tz: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => t,
        MappedLocalTime::Ambiguous(a, b) => a.min(b),
        MappedLocalTime::None => search_first_at_or_after(tz, local),
    }
}

/// Binary search, to the second, for the first instant whose local time in
/// `tz` is `local` or later. UTC offsets are within ±26 h, so 36 h before
/// `local` read as UTC the clocks are still before it and 36 h after they
/// are past it.
fn search_first_at_or_after(tz: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    const SPAN: i64 = 36 * 3600;
    let base = local.and_utc().timestamp();
    let reads_at_least = |ts: i64| match DateTime::from_timestamp(ts, 0) {
        Some(u) => u.with_timezone(&tz).naive_local() >= local,
        None => ts > base,
    };
    let (mut lo, mut hi) = (base.saturating_sub(SPAN), base.saturating_add(SPAN));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reads_at_least(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let utc = DateTime::from_timestamp(hi, 0).unwrap_or(if hi > 0 {
        DateTime::<Utc>::MAX_UTC
    } else {
        DateTime::<Utc>::MIN_UTC
    });
    utc.with_timezone(&tz)
}

/// The message for a local time in a gap: when the clocks skip and from
/// which wall time to which.
fn gap_message(text: &str, tz: Tz, local: NaiveDateTime) -> String {
    let jump = first_instant_at_or_after(tz, local);
    let before = jump.naive_utc() - TimeDelta::seconds(1);
    let offset_before = tz.offset_from_utc_datetime(&before).fix();
    let from = jump
        .naive_utc()
        .checked_add_signed(TimeDelta::seconds(i64::from(offset_before.local_minus_utc())))
        .unwrap_or(local);
    let to = jump.naive_local();
    if from.date() == to.date() {
        format!(
            "\"{text}\" does not exist in {tz}: the clocks skip from {} to {} on {}",
            from.format("%H:%M"),
            to.format("%H:%M"),
            from.date()
        )
    } else {
        format!(
            "\"{text}\" does not exist in {tz}: the clocks skip from {} to {}",
            from.format("%Y-%m-%d %H:%M"),
            to.format("%Y-%m-%d %H:%M")
        )
    }
}

fn sign_char(sign: i32) -> char {
    if sign < 0 { '-' } else { '+' }
}

/// The fields of an event time as written, before any range check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    fraction_nonzero: bool,
    /// Sign (+1/-1), hours, minutes; `Z` is `(1, 0, 0)`.
    offset: Option<(i32, u32, u32)>,
}

impl Parts {
    /// `YYYY-MM-DD(T|t| )HH:MM[:SS[.F+]][Z|z|±HH:MM]`, nothing else; `None`
    /// when the text does not have that shape.
    fn scan(text: &str) -> Option<Parts> {
        let mut c = Cursor { b: text.as_bytes(), i: 0 };
        let year = i32::try_from(c.digits(4)?).ok()?;
        c.eat(b'-').then_some(())?;
        let month = c.digits(2)?;
        c.eat(b'-').then_some(())?;
        let day = c.digits(2)?;
        (c.eat(b'T') || c.eat(b't') || c.eat(b' ')).then_some(())?;
        let hour = c.digits(2)?;
        c.eat(b':').then_some(())?;
        let minute = c.digits(2)?;
        let (mut second, mut fraction_nonzero) = (0, false);
        if c.eat(b':') {
            second = c.digits(2)?;
            if c.eat(b'.') {
                let start = c.i;
                while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                    fraction_nonzero |= c.b[c.i] != b'0';
                    c.i += 1;
                }
                (c.i > start).then_some(())?;
            }
        }
        let offset = if c.eat(b'Z') || c.eat(b'z') {
            Some((1, 0, 0))
        } else if c.peek() == Some(b'+') || c.peek() == Some(b'-') {
            let sign = if c.eat(b'-') { -1 } else { 1 };
            c.eat(b'+');
            let h = c.digits(2)?;
            c.eat(b':').then_some(())?;
            let m = c.digits(2)?;
            Some((sign, h, m))
        } else {
            None
        };
        (c.i == c.b.len()).then_some(Parts { year, month, day, hour, minute, second, fraction_nonzero, offset })
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, want: u8) -> bool {
        let hit = self.peek() == Some(want);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let part = self.b.get(self.i..self.i + n)?;
        let mut v = 0u32;
        for &b in part {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(b - b'0');
        }
        self.i += n;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Timelike};
    use chrono_tz::Europe::Berlin;
    use chrono_tz::Tz;
    use proptest::prelude::{Strategy, prop_assert, prop_assert_eq, proptest};

    use super::{first_instant_at_or_after, format_at, parse_at};

    fn berlin(s: &str) -> DateTime<Tz> {
        parse_at(s, Berlin).unwrap()
    }

    #[test]
    fn rfc3339_with_and_without_seconds() {
        let t = berlin("2026-11-20T09:15:00+01:00");
        assert_eq!(t, Berlin.with_ymd_and_hms(2026, 11, 20, 9, 15, 0).unwrap());
        assert_eq!(berlin("2026-11-20T09:15+01:00"), t);
        assert_eq!(berlin("2026-11-20t08:15z"), t);
        assert_eq!(berlin("2026-11-20T08:15:00Z"), t);
        assert_eq!(berlin("2026-11-20T08:15:00.000Z"), t);
        assert_eq!(berlin("2026-11-20 09:15+01:00"), t);
        // Another offset is the same instant, shown in the ledger's zone.
        assert_eq!(berlin("2026-11-20T03:15:00-05:00"), t);
        assert_eq!(format_at(berlin("2026-11-20T03:15:00-05:00")), "2026-11-20T09:15:00+01:00");
        assert_eq!(berlin("  2026-11-20T09:15:00+01:00 "), t, "surrounding whitespace is ignored");
    }

    #[test]
    fn local_form() {
        let t = berlin("2026-11-20 09:15");
        assert_eq!(format_at(t), "2026-11-20T09:15:00+01:00");
        assert_eq!(berlin("2026-11-20T09:15"), t);
        assert_eq!(berlin("2026-11-20 09:15:00"), t);
        assert_eq!(format_at(berlin("2026-07-01 12:00")), "2026-07-01T12:00:00+02:00");
    }

    #[test]
    fn gap_is_refused() {
        let err = parse_at("2026-03-29 02:30", Berlin).unwrap_err();
        assert_eq!(
            err,
            "\"2026-03-29 02:30\" does not exist in Europe/Berlin: the clocks skip from 02:00 to 03:00 on 2026-03-29"
        );
        assert!(parse_at("2026-03-29 02:00", Berlin).is_err());
        assert!(parse_at("2026-03-29 02:59", Berlin).is_err());
        assert_eq!(format_at(berlin("2026-03-29 01:59")), "2026-03-29T01:59:00+01:00");
        assert_eq!(format_at(berlin("2026-03-29 03:00")), "2026-03-29T03:00:00+02:00");
        // With an offset it is a real instant: 02:30+01:00 is 03:30+02:00.
        assert_eq!(format_at(berlin("2026-03-29T02:30:00+01:00")), "2026-03-29T03:30:00+02:00");
    }

    #[test]
    fn fold_is_refused_without_offset_and_accepted_with_either() {
        let err = parse_at("2026-10-25 02:30", Berlin).unwrap_err();
        assert_eq!(
            err,
            "\"2026-10-25 02:30\" is ambiguous in Europe/Berlin (it occurs twice on 2026-10-25); write it with its \
             offset, e.g. 2026-10-25T02:30:00+02:00 (the first) or 2026-10-25T02:30:00+01:00 (the second)"
        );
        let first = berlin("2026-10-25T02:30:00+02:00");
        let second = berlin("2026-10-25T02:30:00+01:00");
        assert_eq!(second - first, TimeDelta::hours(1));
        assert_eq!(format_at(first), "2026-10-25T02:30:00+02:00");
        assert_eq!(format_at(second), "2026-10-25T02:30:00+01:00");
        assert_eq!(format_at(berlin("2026-10-25 01:59")), "2026-10-25T01:59:00+02:00");
        assert_eq!(format_at(berlin("2026-10-25 03:00")), "2026-10-25T03:00:00+01:00");
    }

    #[test]
    fn seconds_must_be_zero() {
        let err = parse_at("2026-11-20T09:15:30+01:00", Berlin).unwrap_err();
        assert_eq!(err, "\"2026-11-20T09:15:30+01:00\": seconds must be 00 (times are kept to the minute)");
        assert!(parse_at("2026-11-20T09:15:00.5+01:00", Berlin).is_err());
        assert!(parse_at("2026-11-20 09:15:01", Berlin).is_err());
        assert!(parse_at("2026-12-31T23:59:60Z", Berlin).is_err());
    }

    #[test]
    fn garbage_and_impossible_values_are_refused() {
        let err = parse_at("yesterday", Berlin).unwrap_err();
        assert_eq!(
            err,
            "\"yesterday\" is not a time: expected RFC 3339 (e.g. 2026-11-20T09:15:00+01:00) or a local time \
             YYYY-MM-DD HH:MM in Europe/Berlin"
        );
        for bad in [
            "",
            "2026-11-20",
            "2026-11-20 9:15",
            "2026-11-20  09:15",
            "20.11.2026 09:15",
            "2026-11-20T09:15:00+0100",
            "2026-11-20T09:15:00+01",
            "2026-11-20T09:15:00 +01:00",
            "2026-11-20T09:15:00+01:00x",
            "2026-11-20T09",
            "2026-11-20T09:15:00.",
            "+2026-11-20 09:15",
            "2026-11-20 09:15 CET",
            "２０２６-11-20 09:15",
        ] {
            assert!(parse_at(bad, Berlin).is_err(), "{bad:?}");
        }
        assert_eq!(parse_at("2026-02-30 10:00", Berlin).unwrap_err(), "\"2026-02-30 10:00\": 2026-02-30 is not a date");
        assert_eq!(
            parse_at("2026-11-20 24:00", Berlin).unwrap_err(),
            "\"2026-11-20 24:00\": 24:00 is not a time of day"
        );
        assert!(parse_at("2026-11-20 09:60", Berlin).is_err());
        assert_eq!(
            parse_at("2026-11-20T09:15:00+24:00", Berlin).unwrap_err(),
            "\"2026-11-20T09:15:00+24:00\": +24:00 is not a UTC offset"
        );
    }

    #[test]
    fn first_instant_at_or_after_in_gap_fold_and_plain_hours() {
        let at = |y, mo, d, h, mi| NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap();
        assert_eq!(format_at(first_instant_at_or_after(Berlin, at(2026, 3, 29, 2, 30))), "2026-03-29T03:00:00+02:00");
        assert_eq!(format_at(first_instant_at_or_after(Berlin, at(2026, 10, 25, 2, 30))), "2026-10-25T02:30:00+02:00");
        assert_eq!(format_at(first_instant_at_or_after(Berlin, at(2026, 11, 20, 9, 0))), "2026-11-20T09:00:00+01:00");
        // Samoa skipped 30 December 2011 entirely.
        let apia: Tz = chrono_tz::Pacific::Apia;
        let t = first_instant_at_or_after(apia, at(2011, 12, 30, 9, 0));
        assert_eq!(format_at(t), "2011-12-31T00:00:00+14:00");
        assert_eq!(
            parse_at("2011-12-30 09:00", apia).unwrap_err(),
            "\"2011-12-30 09:00\" does not exist in Pacific/Apia: the clocks skip from 2011-12-30 00:00 to \
             2011-12-31 00:00"
        );
    }

    /// Minute-aligned instants from 2020 to 2030.
    fn instant() -> impl Strategy<Value = DateTime<Tz>> {
        let from = Berlin.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap().timestamp() / 60;
        let to = Berlin.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap().timestamp() / 60;
        (from..to).prop_map(|m| DateTime::from_timestamp(m * 60, 0).unwrap().with_timezone(&Berlin))
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_same_instant(t in instant()) {
            let s = format_at(t);
            prop_assert_eq!(parse_at(&s, Berlin), Ok(t));
            prop_assert_eq!(t.second(), 0);
        }

        #[test]
        fn local_form_is_the_instant_or_refused_as_ambiguous(t in instant()) {
            let local = t.naive_local().format("%Y-%m-%d %H:%M").to_string();
            match parse_at(&local, Berlin) {
                Ok(u) => prop_assert_eq!(u, t),
                Err(e) => {
                    prop_assert!(e.contains("is ambiguous"), "{}", e);
                    prop_assert!(Berlin.from_local_datetime(&t.naive_local()).single().is_none());
                }
            }
        }

        #[test]
        fn parse_at_never_panics(s in "\\PC{0,40}") {
            let _ = parse_at(&s, Berlin);
        }

        #[test]
        fn parse_at_never_panics_on_near_misses(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Z]|[+-][0-9]{2}:[0-9]{2})?") {
            let _ = parse_at(&s, Berlin);
        }
    }
}
