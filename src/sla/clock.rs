//! The SLA clocks (SPEC §7): how much guaranteed time passes between two
//! instants, and when a given amount of it is used up (the response
//! deadline). The `calendar` clock counts real elapsed time; the `business`
//! clock counts only business hours on workdays that are not holidays, placed
//! on each day by local wall time in the ledger's timezone. The settings it
//! runs on (`sla_clock`, `business_hours`, `workdays`) are plain values in
//! [`crate::model::sla`]. Pure functions: no I/O, no clock reads.
//!
//! Business time, exactly: day D's business window is the half-open interval
//! from the first instant at which the clocks read D + start to the first
//! instant at which they read D + end (see
//! [`first_instant_at_or_after`]), if D is a workday and not a holiday. So a
//! day of a daylight-saving change still has 8 business hours when the change
//! lies outside them (as it does for 09:00–17:00 in Europe and the US); when
//! it lies inside them the day has the wall-clock hours less the skipped hour
//! or plus the repeated one. Windows never overlap and follow each other in
//! time, which makes [`Clock::deadline`] monotone.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::holidays::Holidays;
use super::time::first_instant_at_or_after;
use crate::model::sla::{BusinessHours, ClockKind, DEFAULT_WORKDAYS, Region};

/// How long [`Clock::deadline`] looks for business time: 10 years (3,653
/// days, leap days included) of real time after the start. A deadline that
/// would lie later is returned as start + 10 years.
pub const HORIZON_DAYS: i64 = 3653;

/// The clock of one contract: its kind and, for the business clock, the
/// timezone, hours, workdays (Monday first) and holidays that define business
/// time. The calendar clock uses only `kind` (and `tz` for its results).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub kind: ClockKind,
    pub tz: Tz,
    pub hours: BusinessHours,
    pub workdays: [bool; 7],
    pub holidays: Holidays,
}

impl Clock {
    /// A calendar clock in `tz` (business settings at their defaults, unused).
    pub fn calendar(tz: Tz) -> Clock {
        Clock {
            kind: ClockKind::Calendar,
            tz,
            hours: BusinessHours::default(),
            workdays: DEFAULT_WORKDAYS,
            holidays: Holidays::new(Region::None, Vec::new()),
        }
    }

    /// The earliest instant at which `minutes` of clock time have passed
    /// since `start`, in the clock's timezone.
    ///
    /// Calendar: `start` + `minutes` real minutes, so 48 h across a
    /// daylight-saving change is 48 real hours (2026-10-24T12:00+02:00 →
    /// 2026-10-26T11:00+01:00).
    ///
    /// Business: counting starts at `start`, or at the next business opening
    /// if `start` is outside business time; the deadline lies inside business
    /// hours, and when the time is used up exactly at a closing it is that
    /// closing (17:00), not the next opening.
    ///
    /// Edge cases: `minutes` ≤ 0 gives `start`. A deadline beyond
    /// [`HORIZON_DAYS`] (a business clock whose every workday is listed in
    /// `holidays_extra`, or an absurd `minutes`) is returned as start + 10
    /// years, so the function always terminates; a calendar deadline beyond
    /// chrono's last representable instant (year 262143) is that instant.
    pub fn deadline(&self, start: DateTime<Tz>, minutes: i64) -> DateTime<Tz> {
        let start = start.with_timezone(&self.tz);
        if minutes <= 0 {
            return start;
        }
        match self.kind {
            ClockKind::Calendar => TimeDelta::try_minutes(minutes)
                .and_then(|d| start.checked_add_signed(d))
                .unwrap_or_else(|| DateTime::<Utc>::MAX_UTC.with_timezone(&self.tz)),
            ClockKind::Business => self.business_deadline(start, minutes),
        }
    }

    fn business_deadline(&self, start: DateTime<Tz>, minutes: i64) -> DateTime<Tz> {
        let horizon = start
            .checked_add_signed(TimeDelta::days(HORIZON_DAYS))
            .unwrap_or_else(|| DateTime::<Utc>::MAX_UTC.with_timezone(&self.tz));
        let Some(mut remaining) = TimeDelta::try_minutes(minutes) else {
            return horizon;
        };
        // Windows of days after this one open after the horizon.
        let last_day = horizon.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
        // One day back: where the clocks go back over midnight, an instant
        // can lie in the window of the day before its local date.
        let mut day = start.date_naive().pred_opt().unwrap_or(NaiveDate::MIN);
        while day <= last_day {
            if let Some((open, close)) = self.business_window(day) {
                let from = open.max(start);
                if from >= horizon {
                    return horizon;
                }
                if close > from {
                    let available = close - from;
                    if remaining <= available {
                        return (from + remaining).min(horizon);
                    }
                    remaining -= available;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        horizon
    }

    /// Clock minutes between `a` and `b`, whole minutes rounded down; 0 if
    /// `b` ≤ `a`. Calendar: real minutes. Business: minutes inside business
    /// windows, so a reply at 17:30 to a deadline of 17:00 the same day is 0
    /// minutes late. Takes time proportional to the days between `a` and `b`.
    pub fn minutes_between(&self, a: DateTime<Tz>, b: DateTime<Tz>) -> i64 {
        if b <= a {
            return 0;
        }
        match self.kind {
            ClockKind::Calendar => (b - a).num_minutes(),
            ClockKind::Business => self.business_time_between(a, b).num_minutes(),
        }
    }

    /// Business time in `[a, b)`, exact.
    fn business_time_between(&self, a: DateTime<Tz>, b: DateTime<Tz>) -> TimeDelta {
        let (a, b) = (a.with_timezone(&self.tz), b.with_timezone(&self.tz));
        // One day of margin each way, as in `business_deadline`.
        let first = a.date_naive().pred_opt().unwrap_or(NaiveDate::MIN);
        let last = b.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
        let mut total = TimeDelta::zero();
        let mut day = first;
        while day <= last {
            if let Some((open, close)) = self.business_window(day) {
                let (from, to) = (open.max(a), close.min(b));
                if to > from {
                    total += to - from;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// Whether `d` has business hours: a workday that is not a holiday.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        self.workdays[d.weekday().num_days_from_monday() as usize] && !self.holidays.is_holiday(d)
    }

    /// Day `d`'s business window `[open, close)` as instants in the clock's
    /// timezone, or `None` when `d` is no business day (or the clocks skip
    /// its business hours entirely). The same for either clock kind: it
    /// describes the business settings.
    pub fn business_window(&self, d: NaiveDate) -> Option<(DateTime<Tz>, DateTime<Tz>)> {
        if !self.is_business_day(d) {
            return None;
        }
        let open = first_instant_at_or_after(self.tz, d.and_time(self.hours.start));
        let close = first_instant_at_or_after(self.tz, d.and_time(self.hours.end));
        (close > open).then_some((open, close))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Weekday};
    use chrono_tz::Europe::Berlin;
    use chrono_tz::Tz;
    use proptest::prelude::{Just, Strategy, any, prop_assert, prop_assert_eq, prop_oneof, proptest};
    use proptest::sample::select;

    use super::{Clock, HORIZON_DAYS};
    use crate::model::sla::{BusinessHours, ClockKind, DEFAULT_WORKDAYS, Region, State, parse_business_hours};
    use crate::sla::holidays::Holidays;
    use crate::sla::time::{format_at, parse_at};

    fn t(s: &str) -> DateTime<Tz> {
        parse_at(s, Berlin).unwrap()
    }

    fn business(region: Region) -> Clock {
        Clock {
            kind: ClockKind::Business,
            tz: Berlin,
            hours: BusinessHours::default(),
            workdays: DEFAULT_WORKDAYS,
            holidays: Holidays::new(region, Vec::new()),
        }
    }

    fn de() -> Clock {
        business(Region::De(None))
    }

    const H48: i64 = 48 * 60;

    // Issue 4, item 3: the four cases, and the 17:30 reply.

    #[test]
    fn friday_16_00_on_the_business_clock() {
        let c = de();
        let received = t("2026-11-20 16:00"); // a Friday
        let d = c.deadline(received, H48);
        // 1 h on Friday, 5 × 8 h Mon 23 – Fri 27, 7 h on Monday 30.
        assert_eq!(format_at(d), "2026-11-30T16:00:00+01:00");
        assert_eq!(c.minutes_between(received, d), H48);
        assert_eq!(c.minutes_between(received, t("2026-11-30 15:59")), H48 - 1);
    }

    #[test]
    fn friday_16_00_in_sachsen_skips_buss_und_bettag() {
        let received = t("2026-11-13 16:00"); // a Friday; Wed 18 Nov is Buß- und Bettag in Sachsen
        assert_eq!(format_at(de().deadline(received, H48)), "2026-11-23T16:00:00+01:00");
        let sn = business(Region::De(Some(State::Sachsen)));
        assert_eq!(format_at(sn.deadline(received, H48)), "2026-11-24T16:00:00+01:00");
    }

    #[test]
    fn over_the_easter_weekend_2026() {
        let c = de();
        let received = t("2026-04-02 16:00"); // Thursday before Karfreitag
        let d = c.deadline(received, H48);
        // 1 h Thu 2; Fri 3 (Karfreitag) to Mon 6 (Ostermontag) skipped;
        // Tue 7 – Mon 13 five days; 7 h on Tue 14.
        assert_eq!(format_at(d), "2026-04-14T16:00:00+02:00");
        assert_eq!(c.minutes_between(t("2026-04-02 17:00"), t("2026-04-07 09:00")), 0);
        // Without holidays the same ticket is due on the Friday after.
        assert_eq!(format_at(business(Region::None).deadline(received, H48)), "2026-04-10T16:00:00+02:00");
    }

    #[test]
    fn calendar_clock_across_the_last_sunday_of_october_and_of_march() {
        let c = Clock::calendar(Berlin);
        let oct = t("2026-10-24T12:00:00+02:00");
        assert_eq!(format_at(c.deadline(oct, H48)), "2026-10-26T11:00:00+01:00");
        assert_eq!(c.deadline(oct, H48) - oct, TimeDelta::hours(48));
        let mar = t("2026-03-28T12:00:00+01:00");
        assert_eq!(format_at(c.deadline(mar, H48)), "2026-03-30T13:00:00+02:00");
        assert_eq!(c.deadline(mar, H48) - mar, TimeDelta::hours(48));
        // SPEC §7.1's example: responded 30 minutes after the deadline.
        assert_eq!(c.minutes_between(oct, t("2026-10-26T11:30:00+01:00")), 2910);
    }

    #[test]
    fn received_outside_business_hours() {
        let c = de();
        // Saturday: counting starts Monday 09:00; six full days end at a
        // closing time, which is the deadline (not Tuesday 09:00).
        let saturday = t("2026-11-21 10:00");
        assert_eq!(format_at(c.deadline(saturday, H48)), "2026-11-30T17:00:00+01:00");
        // Wednesday 20:00: counting starts Thursday 09:00.
        let evening = t("2026-11-18 20:00");
        let d = c.deadline(evening, H48);
        assert_eq!(format_at(d), "2026-11-26T17:00:00+01:00");
        assert_eq!(c.deadline(t("2026-11-19 09:00"), H48), d);
        // Exactly at closing and exactly at opening.
        assert_eq!(format_at(c.deadline(t("2026-11-19 17:00"), 1)), "2026-11-20T09:01:00+01:00");
        assert_eq!(format_at(c.deadline(t("2026-11-23 09:00"), 480)), "2026-11-23T17:00:00+01:00");
    }

    #[test]
    fn reply_at_17_30_after_a_17_00_deadline_is_in_time() {
        let c = de();
        let received = t("2026-11-18 20:00");
        let deadline = c.deadline(received, H48);
        let reply = t("2026-11-26 17:30");
        assert_eq!(c.minutes_between(deadline, reply), 0);
        assert_eq!(c.minutes_between(received, reply), H48, "no business time passed after 17:00");
        // The next morning at 09:10 it is 10 minutes late.
        assert_eq!(c.minutes_between(deadline, t("2026-11-27 09:10")), 10);
    }

    #[test]
    fn business_days_of_a_clock_change_have_eight_hours() {
        let mut c = de();
        c.workdays = [true; 7];
        for day in ["2026-03-29", "2026-10-25"] {
            let a = t(&format!("{day} 00:00"));
            assert_eq!(c.minutes_between(a, a + TimeDelta::hours(24)), 480, "{day}");
        }
        // Received Saturday after closing: the Sunday of the change is a full day.
        assert_eq!(format_at(c.deadline(t("2026-10-24 17:00"), 480)), "2026-10-25T17:00:00+01:00");
        assert_eq!(format_at(c.deadline(t("2026-03-28 17:00"), 480)), "2026-03-29T17:00:00+02:00");
        // Business hours around the change: wall time, so the day is shorter or longer.
        c.hours = parse_business_hours("01:00-05:00").unwrap();
        let sun = |day: &str| t(&format!("{day} 00:00"));
        assert_eq!(c.minutes_between(sun("2026-03-29"), sun("2026-03-30")), 180);
        assert_eq!(c.minutes_between(sun("2026-10-25"), t("2026-10-26 00:00")), 300);
        // Hours that open inside the gap open when the clocks jump.
        c.hours = parse_business_hours("02:30-04:00").unwrap();
        let (open, close) = c.business_window(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()).unwrap();
        assert_eq!(
            (format_at(open), format_at(close)),
            ("2026-03-29T03:00:00+02:00".into(), "2026-03-29T04:00:00+02:00".into())
        );
    }

    #[test]
    fn business_minutes_between() {
        let c = de();
        assert_eq!(c.minutes_between(t("2026-11-20 10:00"), t("2026-11-20 10:00")), 0);
        assert_eq!(c.minutes_between(t("2026-11-20 11:00"), t("2026-11-20 10:00")), 0, "b before a");
        assert_eq!(c.minutes_between(t("2026-11-20 08:00"), t("2026-11-20 18:00")), 480);
        assert_eq!(c.minutes_between(t("2026-11-20 16:30"), t("2026-11-23 09:30")), 60);
        assert_eq!(c.minutes_between(t("2026-12-24 09:00"), t("2026-12-28 09:00")), 480, "24 Dec counts, 25/26 do not");
        // A year: 254 business days in 2026 for DE (Mon–Fri less holidays on weekdays).
        assert_eq!(c.minutes_between(t("2026-01-01 00:00"), t("2027-01-01 00:00")), 254 * 480);
        // Seconds are rounded down to whole minutes.
        let a = t("2026-11-20 10:00");
        assert_eq!(c.minutes_between(a, a + TimeDelta::seconds(59)), 0);
        assert_eq!(Clock::calendar(Berlin).minutes_between(a, a + TimeDelta::seconds(119)), 1);
    }

    #[test]
    fn deadline_edge_cases_terminate() {
        let c = de();
        let a = t("2026-11-21 10:00");
        assert_eq!(c.deadline(a, 0), a, "no time needed: the start itself");
        assert_eq!(c.deadline(a, -5), a);
        assert_eq!(Clock::calendar(Berlin).deadline(a, -5), a);
        let horizon = a + TimeDelta::days(HORIZON_DAYS);
        assert_eq!(c.deadline(a, i64::MAX), horizon);
        assert_eq!(c.deadline(a, 20 * 365 * 24 * 60), horizon);
        assert!(Clock::calendar(Berlin).deadline(a, i64::MAX) > a);
        assert_eq!(Clock::calendar(Berlin).deadline(a, i64::MAX / 2), Clock::calendar(Berlin).deadline(a, i64::MAX));
        // No business time at all for eleven years: every day is an extra holiday.
        let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let all: Vec<NaiveDate> = first.iter_days().take(11 * 366).collect();
        let mut closed = de();
        closed.holidays = Holidays::new(Region::None, all);
        assert_eq!(closed.deadline(a, H48), horizon);
        assert_eq!(closed.minutes_between(a, horizon), 0);
    }

    #[test]
    fn deadline_in_another_timezone_is_returned_in_the_clocks() {
        let c = de();
        let utc = "2026-11-20T15:00:00Z".parse::<DateTime<chrono::Utc>>().unwrap().with_timezone(&Tz::UTC);
        assert_eq!(format_at(c.deadline(utc, H48)), "2026-11-30T16:00:00+01:00");
    }

    // Property tests: RELIABILITY (c) invariants 20 and 21.

    /// Minute-aligned instants in 2020–2030, half of them within three days
    /// of a daylight-saving change in Europe/Berlin.
    fn instant() -> impl Strategy<Value = DateTime<Tz>> {
        let minute = |m: i64| DateTime::from_timestamp(m * 60, 0).unwrap().with_timezone(&Berlin);
        let from = Berlin.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap().timestamp() / 60;
        let to = Berlin.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap().timestamp() / 60;
        let anywhere = (from..to).prop_map(minute);
        let near_change = (2020i32..=2030, any::<bool>(), -3 * 1440i64..3 * 1440).prop_map(move |(y, october, off)| {
            let month = if october { 10 } else { 3 };
            // The last Sunday of the month, 01:00 UTC: the change.
            let last = NaiveDate::from_ymd_opt(y, month, 31).unwrap();
            let sunday = last - TimeDelta::days(i64::from(last.weekday().num_days_from_sunday()));
            let change = sunday.and_hms_opt(1, 0, 0).unwrap().and_utc().timestamp() / 60;
            minute(change + off)
        });
        prop_oneof![anywhere, near_change]
    }

    fn region() -> impl Strategy<Value = Region> {
        prop_oneof![
            Just(Region::None),
            Just(Region::De(None)),
            select(State::ALL.to_vec()).prop_map(|s| Region::De(Some(s))),
        ]
    }

    /// Business clocks of any shape: zones with odd changes (at midnight,
    /// by 30 minutes, over the date line), any hours, any workdays.
    fn any_business_clock() -> impl Strategy<Value = Clock> {
        let zones: Vec<Tz> = vec![
            Berlin,
            chrono_tz::America::New_York,
            chrono_tz::America::Santiago,
            chrono_tz::America::Havana,
            chrono_tz::America::Sao_Paulo,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Pacific::Chatham,
            chrono_tz::Pacific::Apia,
            chrono_tz::Asia::Kolkata,
            chrono_tz::Asia::Tehran,
        ];
        let hours = (0u32..1439, 1u32..1440).prop_filter_map("start before end", |(a, b)| {
            (a < b).then(|| BusinessHours {
                start: NaiveTime::from_hms_opt(a / 60, a % 60, 0).unwrap(),
                end: NaiveTime::from_hms_opt(b / 60, b % 60, 0).unwrap(),
            })
        });
        let workdays = proptest::array::uniform7(any::<bool>()).prop_filter("a workday", |w| w.contains(&true));
        (select(zones), hours, workdays, region()).prop_map(|(tz, hours, workdays, region)| Clock {
            kind: ClockKind::Business,
            tz,
            hours,
            workdays,
            holidays: Holidays::new(region, Vec::new()),
        })
    }

    proptest! {
        #[test]
        fn calendar_deadline_is_48_real_hours(start in instant()) {
            let c = Clock::calendar(Berlin);
            let d = c.deadline(start, H48);
            prop_assert_eq!(d - start, TimeDelta::hours(48));
            prop_assert_eq!(c.minutes_between(start, d), H48);
            prop_assert_eq!(parse_at(&format_at(d), Berlin), Ok(d));
        }

        #[test]
        fn business_deadline_invariants_berlin(
            start in instant(),
            region in region(),
            minutes in prop_oneof![Just(H48), 1i64..20_000],
            later in 0i64..20_000,
        ) {
            let c = business(region);
            let d = c.deadline(start, minutes);
            prop_assert!(d - start >= TimeDelta::minutes(minutes), "at least as much real time");
            prop_assert_eq!(c.minutes_between(start, d), minutes);
            prop_assert_eq!(c.minutes_between(start, d - TimeDelta::minutes(1)), minutes - 1, "the earliest such instant");
            // Inside business hours (a deadline at closing time counts) on a
            // workday that is not a holiday.
            let local = d.naive_local();
            prop_assert!(local.time() > c.hours.start && local.time() <= c.hours.end, "{}", format_at(d));
            prop_assert!(c.workdays[local.weekday().num_days_from_monday() as usize], "{}", format_at(d));
            prop_assert!(!c.holidays.is_holiday(local.date()), "{}", format_at(d));
            prop_assert!(local.weekday() != Weekday::Sat && local.weekday() != Weekday::Sun);
            // Monotone in the start.
            let start2 = start + TimeDelta::minutes(later);
            prop_assert!(c.deadline(start2, minutes) >= d);
        }

        #[test]
        fn business_minutes_are_additive(a in instant(), x in 0i64..20_000, y in 0i64..20_000, region in region()) {
            let c = business(region);
            let b = a + TimeDelta::minutes(x);
            let e = b + TimeDelta::minutes(y);
            prop_assert_eq!(c.minutes_between(a, b) + c.minutes_between(b, e), c.minutes_between(a, e));
            prop_assert!(c.minutes_between(a, e) <= x + y);
        }

        #[test]
        fn business_deadline_invariants_any_clock(
            c in any_business_clock(),
            start in instant(),
            minutes in 1i64..5_000,
            later in 0i64..10_000,
        ) {
            let start = start.with_timezone(&c.tz);
            let d = c.deadline(start, minutes);
            if d - start == TimeDelta::days(HORIZON_DAYS) {
                // One business minute a week runs out of the 10-year horizon.
                prop_assert!(c.minutes_between(start, d) < minutes);
                return Ok(());
            }
            prop_assert!(d - start >= TimeDelta::minutes(minutes));
            prop_assert_eq!(c.minutes_between(start, d), minutes, "deadline {}", format_at(d));
            prop_assert_eq!(c.minutes_between(start, d - TimeDelta::minutes(1)), minutes - 1);
            let date = d.date_naive();
            let inside = [date.pred_opt().unwrap(), date, date.succ_opt().unwrap()].into_iter().any(|day| {
                c.business_window(day).is_some_and(|(open, close)| open < d && d <= close)
            });
            prop_assert!(inside, "deadline {} is in no business window", format_at(d));
            prop_assert!(c.deadline(start + TimeDelta::minutes(later), minutes) >= d);
        }
    }
}
