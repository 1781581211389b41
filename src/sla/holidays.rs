//! Public holidays for the business clock (SPEC §7): the Gregorian Easter
//! computus and the German holiday table for a `holidays` region (a
//! [`Region`] of [`crate::model::sla`]: `"none"`, `"DE"`, `"DE-BY"`, …), plus
//! the ledger's `holidays_extra` days. Pure
//! calendar arithmetic: no time zones (a holiday is a local date), no I/O,
//! no clock reads.
//!
//! The table is the law as in force for tickets of today, with the years in
//! which later changes took effect (Frauentag, Reformationstag, Weltkindertag,
//! one-off days). History before 1990 (17 June in West Germany, Buß- und
//! Bettag in the western states) is not modelled: a support ledger has no
//! tickets from then. What this module decided, and where it is unsure, is
//! said at the rule in [`RULES`].

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use crate::model::sla::{Region, State};

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous
/// Gregorian algorithm (Meeus/Jones/Butcher). Valid for every Gregorian year
/// (1583 on); for earlier years it extends the Gregorian rule proleptically.
/// A year outside chrono's date range is clamped into it (chrono cannot
/// represent the date; no ledger has one).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let y = year.clamp(NaiveDate::MIN.year() + 1, NaiveDate::MAX.year() - 1);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    // Invariant: the algorithm yields 22 March ..= 25 April (month 3 or 4,
    // day 1..=31 valid for that month), and `y` is inside chrono's range.
    NaiveDate::from_ymd_opt(y, month as u32, day as u32).expect("Easter is a valid date in March or April")
}

/// Buß- und Bettag: the last Wednesday before 23 November (16–22 November).
fn buss_und_bettag(year: i32) -> Option<NaiveDate> {
    let nov22 = NaiveDate::from_ymd_opt(year, 11, 22)?;
    let back = (nov22.weekday().num_days_from_monday() + 7 - Weekday::Wed.num_days_from_monday()) % 7;
    nov22.checked_sub_signed(TimeDelta::days(i64::from(back)))
}

/// How a rule finds its date in a given year.
#[derive(Debug, Clone, Copy)]
enum When {
    /// The same month and day every year.
    Fixed(u32, u32),
    /// Days after (negative: before) Easter Sunday.
    Easter(i64),
    /// The Wednesday before 23 November.
    BussUndBettag,
}

/// Where a rule applies.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// Every `DE` region, with or without a state.
    Nationwide,
    /// Only `DE-XX` for these states.
    States(&'static [State]),
}

/// One line of the holiday table: a named day, where and in which years it
/// is a public holiday (`from..=until`, both inclusive, `None` = open).
#[derive(Debug, Clone, Copy)]
struct Rule {
    name: &'static str,
    when: When,
    scope: Scope,
    from: Option<i32>,
    until: Option<i32>,
}

const fn always(name: &'static str, when: When, scope: Scope) -> Rule {
    Rule { name, when, scope, from: None, until: None }
}

const fn since(name: &'static str, when: When, scope: Scope, year: i32) -> Rule {
    Rule { name, when, scope, from: Some(year), until: None }
}

const fn between(name: &'static str, when: When, scope: Scope, from: i32, until: i32) -> Rule {
    Rule { name, when, scope, from: Some(from), until: Some(until) }
}

const fn once(name: &'static str, month: u32, day: u32, scope: Scope, year: i32) -> Rule {
    Rule { name, when: When::Fixed(month, day), scope, from: Some(year), until: Some(year) }
}

use State::{
    BadenWuerttemberg as BW, Bayern as BY, Berlin as BE, Brandenburg as BB, Bremen as HB, Hamburg as HH, Hessen as HE,
    MecklenburgVorpommern as MV, Niedersachsen as NI, NordrheinWestfalen as NW, RheinlandPfalz as RP, Saarland as SL,
    Sachsen as SN, SachsenAnhalt as ST, SchleswigHolstein as SH, Thueringen as TH,
};

const DE: Scope = Scope::Nationwide;

/// The German holiday table. When two rules fall on one date (Christi
/// Himmelfahrt on 1 May, as in 2008), the first one here names the day.
///
/// Decisions and uncertainties:
/// - Only holidays that hold in the whole state are listed, with one
///   exception: Mariä Himmelfahrt in Bayern is a holiday only in communities
///   with a predominantly Catholic population (about 1,700 of 2,056, Munich
///   included). For a deadline the conservative choice is to count it, so
///   `DE-BY` has it. An office in a Protestant community that works that
///   day can write `DE` and list Bayern's other holidays in `holidays_extra`.
/// - Not listed, because they hold only in a few communities: Fronleichnam in
///   parts of Sachsen (Sorbian communities near Bautzen) and Thüringen
///   (Eichsfeld), and the Augsburger Hohes Friedensfest (8 August, city of
///   Augsburg). Use `holidays_extra` for them.
/// - Brandenburg names Ostersonntag and Pfingstsonntag as holidays in its
///   law; they matter only when Sunday is a workday. Hessen's law makes every
///   Sunday a holiday without naming Easter Sunday: not modelled (a ledger
///   that lists Sunday as a workday has decided to work on Sundays).
/// - Berlin's one-off days: 8 May 2020 and 8 May 2025 (75th and 80th
///   anniversary of the end of the war) are law; 17 June 2028 (75th
///   anniversary of the 1953 uprising, a Saturday) was decided by Berlin's
///   parliament in 2024 according to press reports and is listed in the
///   `holidays` Python package; it is included, uncertain only in that a
///   law for a day in 2028 may still change.
/// - Buß- und Bettag was a nationwide holiday until 1994 (abolished from 1995
///   to fund the long-term care insurance, except in Sachsen).
/// - The nationwide Reformationstag of 2017 (500 years of the Reformation)
///   was a one-off in every state.
const RULES: &[Rule] = &[
    // Nationwide.
    always("Neujahr", When::Fixed(1, 1), DE),
    always("Karfreitag", When::Easter(-2), DE),
    always("Ostermontag", When::Easter(1), DE),
    always("Tag der Arbeit", When::Fixed(5, 1), DE),
    always("Christi Himmelfahrt", When::Easter(39), DE),
    always("Pfingstmontag", When::Easter(50), DE),
    since("Tag der Deutschen Einheit", When::Fixed(10, 3), DE, 1990),
    always("1. Weihnachtstag", When::Fixed(12, 25), DE),
    always("2. Weihnachtstag", When::Fixed(12, 26), DE),
    once("Reformationstag", 10, 31, DE, 2017),
    between("Buß- und Bettag", When::BussUndBettag, DE, 1990, 1994),
    // States.
    always("Heilige Drei Könige", When::Fixed(1, 6), Scope::States(&[BW, BY, ST])),
    since("Internationaler Frauentag", When::Fixed(3, 8), Scope::States(&[BE]), 2019),
    since("Internationaler Frauentag", When::Fixed(3, 8), Scope::States(&[MV]), 2023),
    always("Ostersonntag", When::Easter(0), Scope::States(&[BB])),
    always("Pfingstsonntag", When::Easter(49), Scope::States(&[BB])),
    always("Fronleichnam", When::Easter(60), Scope::States(&[BW, BY, HE, NW, RP, SL])),
    always("Mariä Himmelfahrt", When::Fixed(8, 15), Scope::States(&[SL, BY])),
    since("Weltkindertag", When::Fixed(9, 20), Scope::States(&[TH]), 2019),
    always("Reformationstag", When::Fixed(10, 31), Scope::States(&[BB, MV, SN, ST, TH])),
    since("Reformationstag", When::Fixed(10, 31), Scope::States(&[HB, HH, NI, SH]), 2018),
    always("Allerheiligen", When::Fixed(11, 1), Scope::States(&[BW, BY, NW, RP, SL])),
    always("Buß- und Bettag", When::BussUndBettag, Scope::States(&[SN])),
    once("Tag der Befreiung", 5, 8, Scope::States(&[BE]), 2020),
    once("Tag der Befreiung", 5, 8, Scope::States(&[BE]), 2025),
    once("Jahrestag des Volksaufstands vom 17. Juni 1953", 6, 17, Scope::States(&[BE]), 2028),
];

impl Rule {
    fn applies(&self, region: Region, year: i32) -> bool {
        let place = match (region, self.scope) {
            (Region::None, _) => false,
            (Region::De(_), Scope::Nationwide) => true,
            (Region::De(Some(state)), Scope::States(states)) => states.contains(&state),
            (Region::De(None), Scope::States(_)) => false,
        };
        place && self.from.is_none_or(|y| year >= y) && self.until.is_none_or(|y| year <= y)
    }

    /// The rule's date in `year`; `easter` is that year's Easter Sunday.
    fn date(&self, year: i32, easter: NaiveDate) -> Option<NaiveDate> {
        match self.when {
            When::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
            When::Easter(offset) => easter.checked_add_signed(TimeDelta::days(offset)),
            When::BussUndBettag => buss_und_bettag(year),
        }
    }
}

/// The name [`Holidays::name`] gives to a day that is a holiday only because
/// it is listed in `holidays_extra`.
pub const EXTRA_NAME: &str = "holidays_extra";

/// The holidays of one ledger or contract: a region's public holidays plus
/// the `holidays_extra` days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holidays {
    region: Region,
    extra: BTreeSet<NaiveDate>,
}

impl Holidays {
    /// The holidays of `region` plus `extra` (duplicates and order do not
    /// matter).
    pub fn new(region: Region, extra: Vec<NaiveDate>) -> Holidays {
        Holidays { region, extra: extra.into_iter().collect() }
    }

    /// The region these holidays were made for.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The `holidays_extra` days, in date order without duplicates.
    pub fn extra(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.extra.iter().copied()
    }

    /// Whether `d` is a public holiday of the region or an extra day.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.name(d).is_some()
    }

    /// The holiday's name, for messages and tests: `Some("Karfreitag")`;
    /// [`EXTRA_NAME`] for a day that is only in `holidays_extra`; `None` for
    /// a day that is no holiday.
    pub fn name(&self, d: NaiveDate) -> Option<&'static str> {
        let year = d.year();
        let easter = easter_sunday(year);
        RULES
            .iter()
            .filter(|r| r.applies(self.region, year))
            .find(|r| r.date(year, easter) == Some(d))
            .map(|r| r.name)
            .or_else(|| self.extra.contains(&d).then_some(EXTRA_NAME))
    }

    /// Every holiday of `year`, in date order, one entry per date (named as
    /// [`Holidays::name`] names it).
    pub fn in_year(&self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        let easter = easter_sunday(year);
        let mut days: Vec<NaiveDate> = RULES
            .iter()
            .filter(|r| r.applies(self.region, year))
            .filter_map(|r| r.date(year, easter))
            .chain(self.extra.iter().copied().filter(|d| d.year() == year))
            .collect();
        days.sort_unstable();
        days.dedup();
        days.into_iter().filter_map(|d| self.name(d).map(|n| (d, n))).collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

    use super::{EXTRA_NAME, Holidays, buss_und_bettag, easter_sunday};
    use crate::model::sla::{Region, State};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Easter Sunday by a second, independent method (Oudin's algorithm, as
    /// in dateutil's `easter`), to cross-check the computus year by year.
    fn easter_oudin(y: i32) -> NaiveDate {
        let g = y % 19;
        let c = y / 100;
        let h = (c - c / 4 - (8 * c + 13) / 25 + 19 * g + 15) % 30;
        let i = h - (h / 28) * (1 - (h / 28) * (29 / (h + 1)) * ((21 - g) / 11));
        let j = (y + y / 4 + i + 2 - c + c / 4) % 7;
        let p = i - j;
        let day = 1 + (p + 27 + (p + 6) / 40) % 31;
        let month = 3 + (p + 26) / 30;
        d(y, month as u32, day as u32)
    }

    #[test]
    fn easter_reference_table() {
        // Published dates of Western Easter.
        let table = [
            (1818, 3, 22),
            (1900, 4, 15),
            (1913, 3, 23),
            (1943, 4, 25),
            (1954, 4, 18),
            (1961, 4, 2),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2016, 3, 27),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2049, 4, 18),
            (2100, 3, 28),
            (2200, 4, 6),
            (2285, 3, 22),
        ];
        for (y, m, day) in table {
            assert_eq!(easter_sunday(y), d(y, m, day), "Easter {y}");
        }
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april() {
        for y in 1900..=2200 {
            let e = easter_sunday(y);
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= d(y, 3, 22) && e <= d(y, 4, 25), "{y}: {e}");
        }
    }

    #[test]
    fn easter_agrees_with_a_second_algorithm() {
        for y in 1583..=4099 {
            assert_eq!(easter_sunday(y), easter_oudin(y), "{y}");
        }
    }

    #[test]
    fn easter_of_extreme_years_does_not_panic() {
        for y in [i32::MIN, -1, 0, 1, i32::MAX] {
            let e = easter_sunday(y);
            assert!(e.month() == 3 || e.month() == 4);
        }
    }

    #[test]
    fn easter_dependent_holidays_follow_easter() {
        let h = Holidays::new(Region::De(Some(State::Bayern)), vec![]);
        for y in 1900..=2200 {
            let e = easter_sunday(y);
            let at = |days: i64| e + TimeDelta::days(days);
            assert_eq!(h.name(at(-2)), Some("Karfreitag"), "{y}");
            assert_eq!(h.name(at(1)), Some("Ostermontag"), "{y}");
            assert_eq!(at(39).weekday(), Weekday::Thu);
            // Himmelfahrt may fall on 1 May (2008, 2160): that day is named
            // Tag der Arbeit, but is a holiday all the same.
            assert!(h.is_holiday(at(39)), "{y}");
            if at(39) != d(y, 5, 1) {
                assert_eq!(h.name(at(39)), Some("Christi Himmelfahrt"), "{y}");
            }
            assert_eq!(h.name(at(50)), Some("Pfingstmontag"), "{y}");
            assert_eq!(h.name(at(60)), Some("Fronleichnam"), "{y}");
            assert!(!h.is_holiday(e), "Easter Sunday is not a holiday in Bayern");
            assert!(!h.is_holiday(at(-3)), "Gründonnerstag is not a holiday");
        }
    }

    #[test]
    fn nationwide_holidays_2026() {
        let h = Holidays::new(Region::De(None), vec![]);
        let expected = vec![
            (d(2026, 1, 1), "Neujahr"),
            (d(2026, 4, 3), "Karfreitag"),
            (d(2026, 4, 6), "Ostermontag"),
            (d(2026, 5, 1), "Tag der Arbeit"),
            (d(2026, 5, 14), "Christi Himmelfahrt"),
            (d(2026, 5, 25), "Pfingstmontag"),
            (d(2026, 10, 3), "Tag der Deutschen Einheit"),
            (d(2026, 12, 25), "1. Weihnachtstag"),
            (d(2026, 12, 26), "2. Weihnachtstag"),
        ];
        assert_eq!(h.in_year(2026), expected);
        assert!(!h.is_holiday(d(2026, 12, 24)), "Heiligabend is no public holiday");
        assert!(!h.is_holiday(d(2026, 12, 31)), "Silvester is no public holiday");
        assert!(!h.is_holiday(d(2026, 1, 6)), "Heilige Drei Könige is not nationwide");
        assert!(!h.is_holiday(d(2026, 10, 31)));
    }

    #[test]
    fn state_holidays_2026() {
        let names = |s: State| -> Vec<(String, &str)> {
            Holidays::new(Region::De(Some(s)), vec![])
                .in_year(2026)
                .into_iter()
                .filter(|(day, _)| !Holidays::new(Region::De(None), vec![]).is_holiday(*day))
                .map(|(day, n)| (day.format("%m-%d").to_string(), n))
                .collect()
        };
        let s = |v: &[(&str, &'static str)]| v.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
        assert_eq!(
            names(State::BadenWuerttemberg),
            s(&[("01-06", "Heilige Drei Könige"), ("06-04", "Fronleichnam"), ("11-01", "Allerheiligen")])
        );
        assert_eq!(
            names(State::Bayern),
            s(&[
                ("01-06", "Heilige Drei Könige"),
                ("06-04", "Fronleichnam"),
                ("08-15", "Mariä Himmelfahrt"),
                ("11-01", "Allerheiligen")
            ])
        );
        assert_eq!(names(State::Berlin), s(&[("03-08", "Internationaler Frauentag")]));
        assert_eq!(
            names(State::Brandenburg),
            s(&[("04-05", "Ostersonntag"), ("05-24", "Pfingstsonntag"), ("10-31", "Reformationstag")])
        );
        assert_eq!(names(State::Bremen), s(&[("10-31", "Reformationstag")]));
        assert_eq!(names(State::Hamburg), s(&[("10-31", "Reformationstag")]));
        assert_eq!(names(State::Hessen), s(&[("06-04", "Fronleichnam")]));
        assert_eq!(
            names(State::MecklenburgVorpommern),
            s(&[("03-08", "Internationaler Frauentag"), ("10-31", "Reformationstag")])
        );
        assert_eq!(names(State::Niedersachsen), s(&[("10-31", "Reformationstag")]));
        assert_eq!(names(State::NordrheinWestfalen), s(&[("06-04", "Fronleichnam"), ("11-01", "Allerheiligen")]));
        assert_eq!(names(State::RheinlandPfalz), s(&[("06-04", "Fronleichnam"), ("11-01", "Allerheiligen")]));
        assert_eq!(
            names(State::Saarland),
            s(&[("06-04", "Fronleichnam"), ("08-15", "Mariä Himmelfahrt"), ("11-01", "Allerheiligen")])
        );
        assert_eq!(names(State::Sachsen), s(&[("10-31", "Reformationstag"), ("11-18", "Buß- und Bettag")]));
        assert_eq!(names(State::SachsenAnhalt), s(&[("01-06", "Heilige Drei Könige"), ("10-31", "Reformationstag")]));
        assert_eq!(names(State::SchleswigHolstein), s(&[("10-31", "Reformationstag")]));
        assert_eq!(names(State::Thueringen), s(&[("09-20", "Weltkindertag"), ("10-31", "Reformationstag")]));
    }

    #[test]
    fn holidays_with_a_start_year_or_a_single_year() {
        let st = |s: State| Holidays::new(Region::De(Some(s)), vec![]);
        let (be, mv, th, ni, by) = (
            st(State::Berlin),
            st(State::MecklenburgVorpommern),
            st(State::Thueringen),
            st(State::Niedersachsen),
            st(State::Bayern),
        );
        assert!(!be.is_holiday(d(2018, 3, 8)) && be.is_holiday(d(2019, 3, 8)));
        assert!(!mv.is_holiday(d(2022, 3, 8)) && mv.is_holiday(d(2023, 3, 8)));
        assert!(!th.is_holiday(d(2018, 9, 20)) && th.is_holiday(d(2019, 9, 20)));
        assert!(!ni.is_holiday(d(2016, 10, 31)) && ni.is_holiday(d(2017, 10, 31)) && ni.is_holiday(d(2018, 10, 31)));
        assert!(mv.is_holiday(d(2016, 10, 31)));
        // 2017: Reformationstag everywhere, once.
        assert_eq!(by.name(d(2017, 10, 31)), Some("Reformationstag"));
        assert!(Holidays::new(Region::De(None), vec![]).is_holiday(d(2017, 10, 31)));
        assert!(!by.is_holiday(d(2018, 10, 31)));
        // Berlin's one-off days.
        assert_eq!(be.name(d(2020, 5, 8)), Some("Tag der Befreiung"));
        assert_eq!(be.name(d(2025, 5, 8)), Some("Tag der Befreiung"));
        assert!(!be.is_holiday(d(2021, 5, 8)) && !be.is_holiday(d(2030, 5, 8)));
        assert!(be.is_holiday(d(2028, 6, 17)) && !be.is_holiday(d(2029, 6, 17)));
        assert!(!by.is_holiday(d(2025, 5, 8)));
        // Tag der Deutschen Einheit since 1990; Buß- und Bettag nationwide until 1994.
        let de = Holidays::new(Region::De(None), vec![]);
        assert!(!de.is_holiday(d(1989, 10, 3)) && de.is_holiday(d(1990, 10, 3)));
        assert!(de.is_holiday(d(1994, 11, 16)) && !de.is_holiday(d(1995, 11, 22)));
        assert!(st(State::Sachsen).is_holiday(d(1995, 11, 22)));
    }

    #[test]
    fn buss_und_bettag_is_the_wednesday_before_23_november() {
        let known = [(2022, 16), (2023, 22), (2024, 20), (2025, 19), (2026, 18), (2027, 17), (2028, 22)];
        for (y, day) in known {
            assert_eq!(buss_und_bettag(y), Some(d(y, 11, day)), "{y}");
        }
        for y in 1900..=2200 {
            let b = buss_und_bettag(y).unwrap();
            assert_eq!(b.weekday(), Weekday::Wed);
            assert!(b >= d(y, 11, 16) && b <= d(y, 11, 22));
        }
    }

    #[test]
    fn extra_days_and_region_none() {
        let none = Holidays::new(Region::None, vec![d(2026, 12, 24), d(2026, 12, 24), d(2026, 12, 31)]);
        assert!(!none.is_holiday(d(2026, 12, 25)), "region none has no public holidays");
        assert_eq!(none.name(d(2026, 12, 24)), Some(EXTRA_NAME));
        assert_eq!(none.in_year(2026), vec![(d(2026, 12, 24), EXTRA_NAME), (d(2026, 12, 31), EXTRA_NAME)]);
        assert!(none.in_year(2027).is_empty());
        // A public holiday keeps its own name when also listed as extra.
        let de = Holidays::new(Region::De(None), vec![d(2026, 12, 25)]);
        assert_eq!(de.name(d(2026, 12, 25)), Some("1. Weihnachtstag"));
        assert_eq!(de.extra().collect::<Vec<_>>(), vec![d(2026, 12, 25)]);
    }
}
