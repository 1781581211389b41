//! `supportctl.toml`: ledger settings and the price list (SPEC §2.1).

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::problem::Problems;
use super::toml_doc::{Table, TomlDoc};
use crate::model::sla::{SlaPatch, parse_business_hours, parse_clock_kind, parse_region, parse_workdays};
use crate::model::{Locale, Money, Percent, Settings, Tier};

/// The standard price list, embedded from `contracts/pricelist.toml`.
pub const PRICE_LIST_TOML: &str = include_str!("../../contracts/pricelist.toml");

const KEYS: &[&str] = &["currency", "vat_rate", "min_monthly_fee", "rounding", "timezone", "locale", "tier", "seller"];
/// SPEC §7: the ticket settings, ledger-wide here and per contract.
pub const SLA_KEYS: &[&str] = &[
    "response_hours",
    "resolution_target_hours",
    "sla_clock",
    "business_hours",
    "workdays",
    "holidays",
    "holidays_extra",
];
const TIER_KEYS: &[&str] = &["name", "hours", "rate"];

/// The built-in price list of SPEC §1.
pub fn builtin_tiers() -> Vec<Tier> {
    let mut problems = Problems::default();
    let mut doc = TomlDoc::new("contracts/pricelist.toml", PRICE_LIST_TOML, &mut problems);
    let table = doc.parse();
    let tiers = table.map(|t| read_tiers(&mut doc, &t)).unwrap_or_default();
    // The file is part of the binary and a unit test reads it: it is valid.
    assert!(!problems.has_errors() && !tiers.is_empty(), "embedded price list is invalid: {problems:?}");
    tiers
}

/// Settings with every default of SPEC §2.1.
pub fn defaults() -> Settings {
    Settings {
        currency: "EUR".into(),
        vat_rate: Percent::new(Decimal::from(19)),
        min_monthly_fee: Money::round(Decimal::from(1600)),
        rounding: 1,
        timezone: chrono_tz::Europe::Berlin,
        locale: Locale::En,
        tiers: builtin_tiers(),
        sla: SlaPatch::default(),
        seller: None,
    }
}

/// Reads `supportctl.toml`; problems go to `problems`, defaults fill the gaps.
pub fn read(file: &str, src: &str, problems: &mut Problems) -> Settings {
    let mut s = defaults();
    let mut doc = TomlDoc::new(file, src, problems);
    let Some(t) = doc.parse() else { return s };
    let known: Vec<&str> = KEYS.iter().chain(SLA_KEYS).copied().collect();
    doc.check_keys(&t, &known, "");
    if let Some((c, span)) = doc.string(&t, "currency") {
        if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
            s.currency = c;
        } else {
            doc.error(span, format!("currency: \"{c}\" is not an ISO 4217 code (e.g. \"EUR\")"));
        }
    }
    if let Some(v) = doc.percent(&t, "vat_rate") {
        s.vat_rate = v;
    }
    if let Some(v) = doc.money(&t, "min_monthly_fee") {
        s.min_monthly_fee = v;
    }
    if let Some(v) = doc.increment(&t, "rounding") {
        s.rounding = v;
    }
    if let Some((tz, span)) = doc.string(&t, "timezone") {
        match chrono_tz::Tz::from_str(&tz) {
            Ok(z) => s.timezone = z,
            Err(_) => {
                let hint = super::suggest::hint(&tz, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
                doc.error(span, format!("timezone: \"{tz}\" is not an IANA time zone such as \"Europe/Berlin\"{hint}"));
            }
        }
    }
    if let Some((l, span)) = doc.string(&t, "locale") {
        match l.as_str() {
            "en" => s.locale = Locale::En,
            "de" => s.locale = Locale::De,
            _ => doc.error(span, format!("locale: \"{l}\" is not one of \"en\", \"de\"")),
        }
    }
    s.sla = sla_keys(&mut doc, &t);
    s.seller = super::parties::read_table(&mut doc, &t, "seller", super::parties::SELLER_KEYS);
    if t.contains_key("tier") {
        let tiers = read_tiers(&mut doc, &t);
        if !tiers.is_empty() {
            s.tiers = tiers;
        }
    }
    s
}

/// The ticket keys of SPEC §7, in `supportctl.toml` or a contract.
pub fn sla_keys(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> SlaPatch {
    let mut p = SlaPatch {
        response_hours: doc.whole(t, "response_hours").map(|h| h.0),
        resolution_target_hours: doc.whole(t, "resolution_target_hours").map(|h| h.0),
        ..SlaPatch::default()
    };
    if let Some((s, span)) = doc.string(t, "sla_clock") {
        match parse_clock_kind(&s) {
            Ok(k) => p.clock = Some(k),
            Err(e) => doc.error(span, format!("sla_clock: {e}")),
        }
    }
    if let Some((s, span)) = doc.string(t, "business_hours") {
        match parse_business_hours(&s) {
            Ok(h) => p.business_hours = Some(h),
            Err(e) => doc.error(span, format!("business_hours: {e}")),
        }
    }
    if let Some((days, span)) = doc.strings(t, "workdays") {
        match parse_workdays(&days) {
            Ok(w) => p.workdays = Some(w),
            Err(e) => doc.error(span, format!("workdays: {e}")),
        }
    }
    if let Some((s, span)) = doc.string(t, "holidays") {
        match parse_region(&s) {
            Ok(r) => p.holidays = Some(r),
            Err(e) => doc.error(span, format!("holidays: {e}")),
        }
    }
    if let Some((days, span)) = doc.strings(t, "holidays_extra") {
        let mut dates = Vec::new();
        for d in &days {
            match crate::model::parse_date(d) {
                Some(date) => dates.push(date),
                None => doc.error(span.clone(), format!("holidays_extra: \"{d}\" is not a date (YYYY-MM-DD)")),
            }
        }
        p.holidays_extra = Some(dates);
    }
    p
}

/// The `[[tier]]` array of a document.
fn read_tiers(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> Vec<Tier> {
    let Some(v) = t.get("tier") else { return vec![] };
    let toml::de::DeValue::Array(items) = v.get_ref() else {
        doc.error(v.span(), "tier: expected [[tier]] tables");
        return vec![];
    };
    let mut tiers = Vec::new();
    let mut seen = HashSet::new();
    for item in items.iter() {
        let toml::de::DeValue::Table(tt) = item.get_ref() else {
            doc.error(item.span(), "tier: expected [[tier]] tables");
            continue;
        };
        doc.check_keys(tt, TIER_KEYS, " in [[tier]]");
        let name = doc.string(tt, "name");
        let hours = doc.whole(tt, "hours");
        let rate = doc.money(tt, "rate");
        for (key, missing) in [("name", name.is_none()), ("hours", hours.is_none()), ("rate", rate.is_none())] {
            if missing && !tt.contains_key(key) {
                doc.error(item.span(), format!("[[tier]]: {key} is missing"));
            }
        }
        if let (Some((name, span)), Some((hours, _)), Some(rate)) = (name, hours, rate) {
            if !seen.insert(name.clone()) {
                doc.error(span, format!("name: tier \"{name}\" is defined twice"));
                continue;
            }
            tiers.push(Tier { name, hours, rate });
        }
    }
    tiers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_price_list_is_spec_section_1() {
        let t = builtin_tiers();
        let got: Vec<(String, u64, String)> = t.iter().map(|t| (t.name.clone(), t.hours, t.rate.to_string())).collect();
        let want = [
            ("16h", 16, "100.00"),
            ("20h", 20, "100.00"),
            ("30h", 30, "100.00"),
            ("40h", 40, "95.00"),
            ("50h", 50, "90.00"),
        ];
        assert_eq!(got.len(), want.len());
        for ((n, h, r), (wn, wh, wr)) in got.iter().zip(want) {
            assert_eq!((n.as_str(), *h, r.as_str()), (wn, wh, wr));
        }
    }

    fn read_str(src: &str) -> (Settings, Vec<String>) {
        let mut p = Problems::default();
        let s = read("supportctl.toml", src, &mut p);
        (s, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn defaults_and_overrides() {
        let (s, errs) = read_str("");
        assert!(errs.is_empty());
        assert_eq!(format!("{s:?}"), format!("{:?}", defaults()));
        let (s, errs) = read_str(
            "currency = \"CHF\"\nvat_rate = \"7.7\"\nrounding = \"15m\"\nlocale = \"de\"\n[[tier]]\nname = \"S\"\nhours = 10\nrate = 120\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            (s.currency.as_str(), s.vat_rate.to_string(), s.rounding, s.locale),
            ("CHF", "7.7".into(), 15, Locale::De)
        );
        assert_eq!(s.tiers.len(), 1);
        assert_eq!(s.tiers[0].rate.to_string(), "120.00");
    }

    #[test]
    fn exact_numbers_only() {
        assert!(read_str("min_monthly_fee = 1600.5").1.is_empty());
        for (src, want) in [
            (
                "min_monthly_fee = 100.005",
                "supportctl.toml:1:19: min_monthly_fee: \"100.005\" has more than 2 decimals",
            ),
            ("min_monthly_fee = 1e3", "supportctl.toml:1:19: min_monthly_fee: 1e3 is not an exact amount"),
            ("min_monthly_fee = nan", "supportctl.toml:1:19: min_monthly_fee: nan is not an exact amount"),
            ("vat_rate = inf", "supportctl.toml:1:12: vat_rate: inf is not an exact amount"),
            ("min_monthly_fee = 1234567890123456789.01", "loses digits as a TOML float"),
            ("vat_rate = \"19.12345\"", "vat_rate: \"19.12345\" has more than 4 decimals"),
            ("min_monthly_fee = \"1,600\"", "is not an amount of money"),
        ] {
            let errs = read_str(src).1;
            assert_eq!(errs.len(), 1, "{src}: {errs:?}");
            assert!(errs[0].contains(want), "{src}: {} does not contain {want}", errs[0]);
        }
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let errs = read_str("curency = \"EUR\"").1;
        assert_eq!(errs, vec!["supportctl.toml:1:1: curency: unknown key (did you mean \"currency\"?)".to_string()]);
    }

    #[test]
    fn bad_timezone_and_syntax() {
        let errs = read_str("timezone = \"Europe/Berln\"").1;
        assert!(errs[0].contains("did you mean \"Europe/Berlin\""), "{errs:?}");
        let errs = read_str("currency = \"EUR\"\ncurrency = \"USD\"").1;
        assert!(errs[0].starts_with("supportctl.toml:2:1: invalid TOML: duplicate key"), "{errs:?}");
    }
}
