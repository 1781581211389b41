//! The ticket settings of SPEC §7 as written, ledger-wide in
//! `supportctl.toml` or per contract: which clock (`sla_clock`), the business
//! hours, the workdays, the holiday region (`holidays`) and the other keys
//! collected in [`SlaPatch`], with the parsers of their spellings. Plain
//! values only: no clock arithmetic, no holiday tables, no time zones; those
//! live in `sla/`, which turns these values into deadlines and SLA figures.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};

/// The ticket keys a `supportctl.toml` or a contract names; `None` = not named.
#[derive(Clone, Debug, Default)]
pub struct SlaPatch {
    pub response_hours: Option<u64>,
    pub resolution_target_hours: Option<u64>,
    pub clock: Option<ClockKind>,
    pub business_hours: Option<BusinessHours>,
    pub workdays: Option<[bool; 7]>,
    pub holidays: Option<Region>,
    pub holidays_extra: Option<Vec<NaiveDate>>,
}

/// Which clock a contract's guarantee runs on (`sla_clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockKind {
    /// Real elapsed time: 48 hours are 48 real hours, whatever the clocks on
    /// the wall do in between.
    Calendar,
    /// Only time inside business hours on workdays that are not holidays.
    Business,
}

impl ClockKind {
    /// The setting's spelling, also used in `sla` output: `"calendar"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Calendar => "calendar",
            ClockKind::Business => "business",
        }
    }
}

impl fmt::Display for ClockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `sla_clock`: exactly `"calendar"` or `"business"`.
pub fn parse_clock_kind(s: &str) -> Result<ClockKind, String> {
    match s {
        "calendar" => Ok(ClockKind::Calendar),
        "business" => Ok(ClockKind::Business),
        _ => Err(format!("unknown clock \"{s}\": expected \"calendar\" or \"business\"")),
    }
}

/// Business hours as local wall time, the same on every workday; `start` is
/// before `end` (hours over midnight are not supported, and the latest end
/// is 23:59).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusinessHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl BusinessHours {
    /// Wall-clock minutes from start to end: 480 for 09:00–17:00.
    pub fn minutes_per_day(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }
}

impl Default for BusinessHours {
    /// 09:00–17:00, SPEC §7's default.
    fn default() -> BusinessHours {
        BusinessHours { start: hm(9, 0), end: hm(17, 0) }
    }
}

impl fmt::Display for BusinessHours {
    /// The setting's form: `09:00-17:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// A time of day from literal hours and minutes below 24 and 60.
fn hm(h: u32, m: u32) -> NaiveTime {
    // Invariant: only called with h < 24 and m < 60.
    NaiveTime::from_hms_opt(h, m, 0).expect("hours < 24 and minutes < 60")
}

/// Parses `business_hours`: `HH:MM-HH:MM` with two-digit hours and minutes,
/// start before end (`"09:00-17:00"`; spaces around the dash are allowed).
/// `"9-17"` and `"9:00-17:00"` are refused with the valid form; `24:00` is
/// refused (the latest end is 23:59; round-the-clock support is the calendar
/// clock).
pub fn parse_business_hours(s: &str) -> Result<BusinessHours, String> {
    let form = || format!("\"{s}\" is not of the form HH:MM-HH:MM, e.g. \"09:00-17:00\"");
    let (a, b) = s.trim().split_once('-').ok_or_else(form)?;
    let time = |part: &str| -> Result<NaiveTime, String> {
        let p = part.trim().as_bytes();
        let ok_shape = p.len() == 5 && p[2] == b':' && [p[0], p[1], p[3], p[4]].iter().all(u8::is_ascii_digit);
        if !ok_shape {
            return Err(form());
        }
        let (h, m) = (
            u32::from(p[0] - b'0') * 10 + u32::from(p[1] - b'0'),
            u32::from(p[3] - b'0') * 10 + u32::from(p[4] - b'0'),
        );
        if h == 24 && m == 0 {
            return Err(format!(
                "\"{s}\": business hours end at 23:59 at the latest (for round-the-clock support use the calendar clock)"
            ));
        }
        NaiveTime::from_hms_opt(h, m, 0).ok_or_else(|| format!("\"{s}\": {} is not a time of day", part.trim()))
    };
    let (start, end) = (time(a)?, time(b)?);
    if start >= end {
        return Err(format!(
            "\"{s}\": business hours must start before they end (hours over midnight are not supported)"
        ));
    }
    Ok(BusinessHours { start, end })
}

/// Monday to Friday, SPEC §7's default `workdays`.
pub const DEFAULT_WORKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAY_FULL_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Parses `workdays` into seven flags, Monday first. Each day is written as
/// in SPEC §7 (`"Mon"`) or in full (`"Monday"`), ASCII case not mattering.
/// Refused: an empty list (the business clock would never run), an unknown
/// name (the message lists the valid ones) and a day listed twice (likely a
/// typo for another day).
pub fn parse_workdays(days: &[String]) -> Result<[bool; 7], String> {
    if days.is_empty() {
        return Err(format!("the list of workdays is empty: name at least one of {}", DAY_NAMES.join(", ")));
    }
    let mut flags = [false; 7];
    for day in days {
        let t = day.trim();
        let i = (0..7)
            .find(|&i| t.eq_ignore_ascii_case(DAY_NAMES[i]) || t.eq_ignore_ascii_case(DAY_FULL_NAMES[i]))
            .ok_or_else(|| format!("unknown day \"{day}\": expected one of {}", DAY_NAMES.join(", ")))?;
        if flags[i] {
            return Err(format!("\"{day}\" is listed twice among the workdays"));
        }
        flags[i] = true;
    }
    Ok(flags)
}

/// A German federal state (Bundesland), for the `DE-XX` regions
/// (ISO 3166-2:DE codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    BadenWuerttemberg,
    Bayern,
    Berlin,
    Brandenburg,
    Bremen,
    Hamburg,
    Hessen,
    MecklenburgVorpommern,
    Niedersachsen,
    NordrheinWestfalen,
    RheinlandPfalz,
    Saarland,
    Sachsen,
    SachsenAnhalt,
    SchleswigHolstein,
    Thueringen,
}

impl State {
    /// All sixteen states, in the order of their ISO codes' listing in
    /// error messages (alphabetical by code).
    pub const ALL: [State; 16] = [
        State::Brandenburg,
        State::Berlin,
        State::BadenWuerttemberg,
        State::Bayern,
        State::Bremen,
        State::Hessen,
        State::Hamburg,
        State::MecklenburgVorpommern,
        State::Niedersachsen,
        State::NordrheinWestfalen,
        State::RheinlandPfalz,
        State::SchleswigHolstein,
        State::Saarland,
        State::Sachsen,
        State::SachsenAnhalt,
        State::Thueringen,
    ];

    /// The two-letter ISO 3166-2:DE code without the `DE-` prefix: `"BY"`.
    pub fn code(self) -> &'static str {
        match self {
            State::BadenWuerttemberg => "BW",
            State::Bayern => "BY",
            State::Berlin => "BE",
            State::Brandenburg => "BB",
            State::Bremen => "HB",
            State::Hamburg => "HH",
            State::Hessen => "HE",
            State::MecklenburgVorpommern => "MV",
            State::Niedersachsen => "NI",
            State::NordrheinWestfalen => "NW",
            State::RheinlandPfalz => "RP",
            State::Saarland => "SL",
            State::Sachsen => "SN",
            State::SachsenAnhalt => "ST",
            State::SchleswigHolstein => "SH",
            State::Thueringen => "TH",
        }
    }

    /// The state's German name: `"Bayern"`.
    pub fn name(self) -> &'static str {
        match self {
            State::BadenWuerttemberg => "Baden-Württemberg",
            State::Bayern => "Bayern",
            State::Berlin => "Berlin",
            State::Brandenburg => "Brandenburg",
            State::Bremen => "Bremen",
            State::Hamburg => "Hamburg",
            State::Hessen => "Hessen",
            State::MecklenburgVorpommern => "Mecklenburg-Vorpommern",
            State::Niedersachsen => "Niedersachsen",
            State::NordrheinWestfalen => "Nordrhein-Westfalen",
            State::RheinlandPfalz => "Rheinland-Pfalz",
            State::Saarland => "Saarland",
            State::Sachsen => "Sachsen",
            State::SachsenAnhalt => "Sachsen-Anhalt",
            State::SchleswigHolstein => "Schleswig-Holstein",
            State::Thueringen => "Thüringen",
        }
    }
}

/// The `holidays` setting: no public holidays, Germany's nationwide ones, or
/// Germany's nationwide ones plus one state's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// `"none"`: only the `holidays_extra` days are holidays.
    None,
    /// `"DE"` (nationwide holidays only) or `"DE-XX"` (plus state XX's).
    De(Option<State>),
}

impl Region {
    /// The setting's canonical spelling: `"none"`, `"DE"`, `"DE-BY"`.
    pub fn code(self) -> String {
        match self {
            Region::None => "none".to_string(),
            Region::De(None) => "DE".to_string(),
            Region::De(Some(s)) => format!("DE-{}", s.code()),
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// Every valid spelling of the `holidays` setting, for error messages.
fn valid_regions() -> String {
    let mut v = vec!["none".to_string(), "DE".to_string()];
    v.extend(State::ALL.iter().map(|s| format!("DE-{}", s.code())));
    v.join(", ")
}

/// Parses the `holidays` setting: `"none"`, `"DE"` or `"DE-XX"` for one of
/// the sixteen states (ASCII case does not matter: `"de-by"` is `DE-BY`).
pub fn parse_region(s: &str) -> Result<Region, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(Region::None);
    }
    if t.eq_ignore_ascii_case("DE") {
        return Ok(Region::De(None));
    }
    if let Some(code) = t.get(..3).filter(|p| p.eq_ignore_ascii_case("DE-")).and_then(|_| t.get(3..))
        && let Some(state) = State::ALL.iter().find(|st| st.code().eq_ignore_ascii_case(code))
    {
        return Ok(Region::De(Some(*state)));
    }
    Err(format!("unknown holidays region \"{s}\": expected one of {}", valid_regions()))
}

#[cfg(test)]
mod tests {
    use super::{
        BusinessHours, ClockKind, DEFAULT_WORKDAYS, Region, State, parse_business_hours, parse_clock_kind,
        parse_region, parse_workdays,
    };

    #[test]
    fn parse_clock_kind_values() {
        assert_eq!(parse_clock_kind("calendar"), Ok(ClockKind::Calendar));
        assert_eq!(parse_clock_kind("business"), Ok(ClockKind::Business));
        assert_eq!(ClockKind::Business.to_string(), "business");
        assert_eq!(
            parse_clock_kind("wall").unwrap_err(),
            "unknown clock \"wall\": expected \"calendar\" or \"business\""
        );
        assert!(parse_clock_kind("Calendar").is_err());
    }

    #[test]
    fn parse_business_hours_values() {
        let h = parse_business_hours("09:00-17:00").unwrap();
        assert_eq!(h, BusinessHours::default());
        assert_eq!(h.to_string(), "09:00-17:00");
        assert_eq!(h.minutes_per_day(), 480);
        assert_eq!(parse_business_hours(" 08:30 - 16:45 ").unwrap().to_string(), "08:30-16:45");
        assert_eq!(parse_business_hours("00:00-23:59").unwrap().minutes_per_day(), 1439);
        assert_eq!(
            parse_business_hours("9-17").unwrap_err(),
            "\"9-17\" is not of the form HH:MM-HH:MM, e.g. \"09:00-17:00\""
        );
        assert_eq!(
            parse_business_hours("17:00-09:00").unwrap_err(),
            "\"17:00-09:00\": business hours must start before they end (hours over midnight are not supported)"
        );
        assert_eq!(parse_business_hours("09:00-25:00").unwrap_err(), "\"09:00-25:00\": 25:00 is not a time of day");
        assert!(parse_business_hours("00:00-24:00").unwrap_err().contains("23:59 at the latest"));
        for bad in
            ["", "09:00", "09:00-09:00", "9:00-17:00", "09:00–17:00", "09.00-17.00", "09:00-17:00-18:00", "ab:cd-17:00"]
        {
            assert!(parse_business_hours(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parse_workdays_values() {
        let days = |v: &[&str]| parse_workdays(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(days(&["Mon", "Tue", "Wed", "Thu", "Fri"]), Ok(DEFAULT_WORKDAYS));
        assert_eq!(days(&["sun", "Saturday"]), Ok([false, false, false, false, false, true, true]));
        assert_eq!(
            days(&[]).unwrap_err(),
            "the list of workdays is empty: name at least one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
        );
        assert_eq!(
            days(&["Mon", "Mo"]).unwrap_err(),
            "unknown day \"Mo\": expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"
        );
        assert_eq!(days(&["Mon", "Monday"]).unwrap_err(), "\"Monday\" is listed twice among the workdays");
    }

    #[test]
    fn parse_region_accepts_every_state_and_refuses_with_the_list() {
        assert_eq!(parse_region("none"), Ok(Region::None));
        assert_eq!(parse_region("DE"), Ok(Region::De(None)));
        assert_eq!(parse_region("de-by"), Ok(Region::De(Some(State::Bayern))));
        assert_eq!(parse_region("DE-NW"), Ok(Region::De(Some(State::NordrheinWestfalen))));
        for s in State::ALL {
            let code = format!("DE-{}", s.code());
            assert_eq!(parse_region(&code), Ok(Region::De(Some(s))));
            assert_eq!(Region::De(Some(s)).to_string(), code);
        }
        let err = parse_region("DE-XY").unwrap_err();
        assert_eq!(
            err,
            "unknown holidays region \"DE-XY\": expected one of none, DE, DE-BB, DE-BE, DE-BW, DE-BY, DE-HB, DE-HE, \
             DE-HH, DE-MV, DE-NI, DE-NW, DE-RP, DE-SH, DE-SL, DE-SN, DE-ST, DE-TH"
        );
        for bad in ["", "AT", "DE-", "DE-BAY", "DEBY", "Bayern", "DE-ÄÖ"] {
            assert!(parse_region(bad).is_err(), "{bad:?}");
        }
    }
}
