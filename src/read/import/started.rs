//! When a worklog started: Jira's `started` (`2021-04-14T18:48:52.747-0700`)
//! and Tempo Server's `dateStarted` (`2018-04-08T20:40:00.000`, no offset),
//! and the day it gives in the ledger's time zone (SPEC §11).
//!
//! Parsed by hand because chrono's RFC 3339 parser refuses the offset
//! without a colon that Jira writes.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use crate::model::parse_date;

/// A start time as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Started {
    /// With an offset (`Z`, `+hh:mm`, `+hhmm` or `+hh`): an instant.
    At(DateTime<FixedOffset>),
    /// Without one: the worker's local time.
    Local(NaiveDateTime),
}

impl Started {
    /// The day: an instant's date in `tz`, a local time's own date.
    pub fn day(self, tz: chrono_tz::Tz) -> NaiveDate {
        match self {
            Started::At(t) => t.with_timezone(&tz).date_naive(),
            Started::Local(t) => t.date(),
        }
    }
}

/// What a start time looks like, for messages.
pub const FORMS: &str = "YYYY-MM-DDThh:mm:ss with optional fractions and an offset such as Z, +02:00 or -0700";

/// Parses `YYYY-MM-DD` `T` (or a space) `hh:mm[:ss[.fraction]]`, then
/// optionally `Z`, `±hh:mm`, `±hhmm` or `±hh`.
pub fn parse(s: &str) -> Option<Started> {
    let b = s.as_bytes();
    if b.len() < 16 || !matches!(b[10], b'T' | b't' | b' ') || !s.is_char_boundary(10) {
        return None;
    }
    let date = parse_date(&s[..10])?;
    let rest = &s[11..];
    // The time runs to the first byte that starts an offset.
    let end = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, offset) = rest.split_at(end);
    let time = parse_time(time)?;
    let local = date.and_time(time);
    if offset.is_empty() {
        return Some(Started::Local(local));
    }
    let secs = parse_offset(offset)?;
    let offset = FixedOffset::east_opt(secs)?;
    let at = local.and_local_timezone(offset).single()?;
    Some(Started::At(at))
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.f…` (up to nine fraction digits).
fn parse_time(t: &str) -> Option<NaiveTime> {
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        d.iter().all(u8::is_ascii_digit).then(|| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
    };
    let (h, m) = (two(0)?, two(3)?);
    if b.get(2) != Some(&b':') {
        return None;
    }
    let (s, nanos) = match b.len() {
        5 => (0, 0),
        8 if b[5] == b':' => (two(6)?, 0),
        n if (10..=18).contains(&n) && b[5] == b':' && b[8] == b'.' => {
            let frac = &b[9..];
            if !frac.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let digits: u32 = frac.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            (two(6)?, digits * 10u32.pow(9 - frac.len() as u32))
        }
        _ => return None,
    };
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
}

/// Seconds east of UTC of `Z`, `±hh:mm`, `±hhmm` or `±hh` (hours < 24,
/// minutes < 60).
fn parse_offset(o: &str) -> Option<i32> {
    if o == "Z" || o == "z" {
        return Some(0);
    }
    let b = o.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u8> = match b.len() {
        3 => b[1..3].to_vec(),
        5 => b[1..5].to_vec(),
        6 if b[3] == b':' => [&b[1..3], &b[4..6]].concat(),
        _ => return None,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |i: usize| i32::from(digits[i] - b'0') * 10 + i32::from(digits[i + 1] - b'0');
    let (h, m) = (n(0), if digits.len() == 4 { n(2) } else { 0 });
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> String {
        parse(s).unwrap_or_else(|| panic!("{s} does not parse")).day(chrono_tz::Europe::Berlin).to_string()
    }

    #[test]
    fn the_day_is_the_date_in_the_ledgers_time_zone() {
        // 18:48 in Los Angeles is 03:48 the next morning in Berlin.
        assert_eq!(day("2021-04-14T18:48:52.747-0700"), "2021-04-15");
        assert_eq!(day("2021-04-14T18:48:52.747-07:00"), "2021-04-15");
        // Early morning in Shanghai is the evening before in Berlin.
        assert_eq!(day("2020-06-06T04:59:00.000+0800"), "2020-06-05");
        assert_eq!(day("2021-01-20T00:30:00.000+0800"), "2021-01-19");
        assert_eq!(day("2021-01-11T14:58:43.580+0800"), "2021-01-11");
        // UTC just before midnight is the next day in Berlin (winter, +01:00).
        assert_eq!(day("2026-01-31T23:30:00Z"), "2026-02-01");
        assert_eq!(day("2026-01-31T23:30:00z"), "2026-02-01");
        assert_eq!(day("2026-01-31T23:30:00+00"), "2026-02-01");
        assert_eq!(day("2026-01-31 22:59+00:00"), "2026-01-31");
    }

    #[test]
    fn a_time_without_offset_is_local_and_keeps_its_date() {
        assert_eq!(day("2018-04-08T20:40:00.000"), "2018-04-08");
        assert_eq!(day("2018-04-08T23:59:59"), "2018-04-08");
        assert!(matches!(parse("2018-04-08T20:40"), Some(Started::Local(_))));
    }

    #[test]
    fn fractions_are_kept_to_the_nanosecond() {
        let Some(Started::At(t)) = parse("2021-01-11T14:58:43.123456789+08:00") else { panic!() };
        assert_eq!(t.timestamp_subsec_nanos(), 123_456_789);
        let Some(Started::At(t)) = parse("2021-01-11T14:58:43.5Z") else { panic!() };
        assert_eq!(t.timestamp_subsec_nanos(), 500_000_000);
    }

    #[test]
    fn malformed_times_are_refused() {
        for bad in [
            "",
            "2021-04-14",
            "2021-04-14T",
            "2021-04-14T18",
            "2021-04-14T18:48:52.-0700",
            "2021-04-14T18:48:52.1234567890Z",
            "2021-04-14T24:00:00Z",
            "2021-04-14T18:60:00Z",
            "2021-02-30T10:00:00Z",
            "2021-04-14T18:48:52+2400",
            "2021-04-14T18:48:52+0060",
            "2021-04-14T18:48:52+07:0",
            "2021-04-14T18:48:52 +0700",
            "2021-04-14T18:48:52-0700x",
            "2021-04-14X18:48:52Z",
            "14.04.2021 18:48",
            "2021-04-14T18:48:52ZZ",
            "2021-04-14T1ä:48:52Z",
            "2021-04-1äT18:48:52Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
