//! `contracts/<id>.toml`: one customer contract per file (SPEC §2.2).

use std::collections::BTreeMap;

use super::problem::Problems;
use super::suggest;
use super::toml_doc::{Table, TomlDoc};
use crate::model::{Contract, Month, Settings, TermsPatch};

const KEYS: &[&str] = &[
    "customer",
    "tier",
    "hours",
    "rate",
    "start",
    "end",
    "overage_rate",
    "vat_rate",
    "rounding",
    "change",
    "jira_projects",
];
const CHANGE_KEYS: &[&str] = &["from", "tier", "hours", "rate", "overage_rate", "vat_rate", "rounding"];

/// `contracts/acme.toml`: contract `id`'s file, relative to the ledger root.
pub fn file(id: &str) -> String {
    format!("{}/{id}.toml", super::CONTRACTS_DIR)
}

/// Whether `id` is a valid contract id: lowercase letters, digits and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads one contract file; `None` when it has errors that leave no contract.
pub fn read(id: &str, file: &str, src: &str, settings: &Settings, problems: &mut Problems) -> Option<Contract> {
    let errors_before = problems.errors().count();
    let mut doc = TomlDoc::new(file, src, problems);
    let t = doc.parse()?;
    let known: Vec<&str> =
        KEYS.iter().chain(super::settings::SLA_KEYS).chain(super::parties::CONTRACT_KEYS).copied().collect();
    doc.check_keys(&t, &known, "");
    let customer = match doc.string(&t, "customer") {
        Some((c, span)) if c.trim().is_empty() => {
            doc.error(span, "customer: is empty");
            None
        }
        Some((c, _)) => Some(c),
        None => {
            if !t.contains_key("customer") {
                doc.error(0..0, "customer: missing (the customer's name, e.g. customer = \"ACME GmbH\")");
            }
            None
        }
    };
    let start = doc.month(&t, "start");
    if start.is_none() && !t.contains_key("start") {
        doc.error(0..0, "start: missing (the first month covered, e.g. start = \"2026-01\")");
    }
    let end = doc.month(&t, "end");
    if let (Some((s, _)), Some((e, span))) = (&start, &end)
        && e < s
    {
        doc.error(span.clone(), format!("end: {e} is before start {s}"));
    }
    let base = patch(&mut doc, &t, settings);
    let sla = super::settings::sla_keys(&mut doc, &t);
    let mut invoicing = super::parties::read_contract_keys(&mut doc, &t);
    if let (Some((m, _)), Some(v)) = (&start, t.get("vat_rate")) {
        let (line, col) = doc.position(v.span().start);
        invoicing.vat_rate_keys.push((*m, line, col));
    }
    let jira_projects = jira_projects(&mut doc, &t);
    // Judged by the keys written, so that an invalid value is reported once.
    let (has_tier, has_hours, has_rate) = (t.contains_key("tier"), t.contains_key("hours"), t.contains_key("rate"));
    match (has_tier.then_some(()), has_hours.then_some(()), has_rate.then_some(())) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            let span = t.get("hours").or(t.get("rate")).map(|v| v.span()).unwrap_or(0..0);
            doc.error(span, "tier and hours/rate: give either a tier or hours and rate, not both");
        }
        (None, Some(_), None) => {
            doc.error(t.get("hours").map(|v| v.span()).unwrap_or(0..0), "rate: missing (hours need a rate)")
        }
        (None, None, Some(_)) => {
            doc.error(t.get("rate").map(|v| v.span()).unwrap_or(0..0), "hours: missing (a rate needs hours)")
        }
        (None, None, None) => doc.error(0..0, "tier: missing (give a tier of the price list, or hours and rate)"),
        _ => {}
    }

    let mut changes: BTreeMap<Month, TermsPatch> = BTreeMap::new();
    if let Some(v) = t.get("change") {
        let items = match v.get_ref() {
            toml::de::DeValue::Array(a) => a.iter().collect::<Vec<_>>(),
            _ => {
                doc.error(v.span(), "change: expected [[change]] tables");
                vec![]
            }
        };
        for item in items {
            let toml::de::DeValue::Table(ct) = item.get_ref() else {
                doc.error(item.span(), "change: expected [[change]] tables");
                continue;
            };
            doc.check_keys(ct, CHANGE_KEYS, " in [[change]]");
            let from = doc.month(ct, "from");
            let p = patch(&mut doc, ct, settings);
            if p == TermsPatch::default() && ct.keys().all(|k| k.get_ref() == "from") {
                doc.error(
                    item.span(),
                    "[[change]]: names no terms (tier, hours, rate, overage_rate, vat_rate or rounding)",
                );
            }
            let Some((from, span)) = from else {
                if !ct.contains_key("from") {
                    doc.error(item.span(), "[[change]]: from is missing (the first month of the new terms, YYYY-MM)");
                }
                continue;
            };
            let outside =
                start.as_ref().is_some_and(|(s, _)| from <= *s) || end.as_ref().is_some_and(|(e, _)| from > *e);
            if outside {
                doc.error(span.clone(), format!("from: {from} is not inside the contract after its start (a change must come after start and not after end)"));
            }
            if let Some(v) = ct.get("vat_rate") {
                let (line, col) = doc.position(v.span().start);
                invoicing.vat_rate_keys.push((from, line, col));
            }
            if changes.insert(from, p).is_some() {
                doc.error(span, format!("from: two changes from {from}; merge them into one"));
            }
        }
    }

    if problems.errors().count() > errors_before {
        return None;
    }
    Some(Contract {
        id: id.to_string(),
        customer: customer?,
        start: start?.0,
        end: end.map(|e| e.0),
        base,
        changes: changes.into_iter().collect(),
        default_vat_rate: settings.vat_rate,
        default_rounding: settings.rounding,
        sla,
        invoicing: {
            invoicing.vat_rate_keys.sort_by_key(|k| k.0);
            invoicing
        },
        jira_projects,
    })
}

/// `jira_projects = ["SD", "ACME"]`: Jira project keys (a letter, then
/// letters, digits or `_`), kept upper case; each once.
fn jira_projects(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> Vec<String> {
    let Some((keys, span)) = doc.strings(t, "jira_projects") else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        if !valid_project(&k) {
            doc.error(
                span.clone(),
                format!("jira_projects: \"{k}\" is not a Jira project key (a letter, then letters, digits or _, e.g. \"SD\")"),
            );
            continue;
        }
        let upper = k.to_ascii_uppercase();
        if out.contains(&upper) {
            doc.error(span.clone(), format!("jira_projects: \"{k}\" is listed twice"));
            continue;
        }
        out.push(upper);
    }
    out
}

/// Whether `key` is a Jira project key: an ASCII letter, then ASCII letters,
/// digits or `_`.
pub fn valid_project(key: &str) -> bool {
    let mut b = key.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic()) && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The terms a table names.
fn patch(doc: &mut TomlDoc<'_>, t: &Table<'_>, settings: &Settings) -> TermsPatch {
    let tier = doc.string(t, "tier").and_then(|(name, span)| {
        let found = settings.tiers.iter().find(|x| x.name == name).cloned();
        if found.is_none() {
            let names: Vec<&str> = settings.tiers.iter().map(|t| t.name.as_str()).collect();
            let hint = suggest::hint(&name, names.iter().copied());
            doc.error(span, format!("tier: unknown tier \"{name}\"{hint}; the price list has {}", names.join(", ")));
        }
        found
    });
    TermsPatch {
        tier,
        hours: doc.whole(t, "hours").map(|h| h.0),
        rate: doc.money(t, "rate"),
        overage_rate: doc.money(t, "overage_rate"),
        vat_rate: doc.percent(t, "vat_rate"),
        rounding: doc.increment(t, "rounding"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::settings::defaults;

    fn read_str(src: &str) -> (Option<Contract>, Vec<String>) {
        let mut p = Problems::default();
        let c = read("acme", "contracts/acme.toml", src, &defaults(), &mut p);
        (c, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn full_contract() {
        let (c, errs) = read_str(
            "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\nend = \"2026-12\"\nrounding = \"15m\"\nvat_rate = 0\n\n[[change]]\nfrom = \"2026-07\"\ntier = \"30h\"\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        let c = c.unwrap();
        assert_eq!(c.changes.len(), 1);
        let t = c.terms("2026-07".parse().unwrap());
        assert_eq!((t.hours, t.rounding, t.vat_rate.to_string()), (30, 15, "0".into()));
    }

    #[test]
    fn errors_with_positions() {
        let cases = [
            (
                "customer = \"A\"\ntier = \"25h\"\nstart = \"2026-01\"",
                "contracts/acme.toml:2:8: tier: unknown tier \"25h\" (did you mean \"20h\"?)",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-01\"\noverage_rte = \"1\"",
                "contracts/acme.toml:4:1: overage_rte: unknown key (did you mean \"overage_rate\"?)",
            ),
            (
                "customer = \"A\"\nhours = \"twenty\"\nrate = \"1\"\nstart = \"2026-01\"",
                "contracts/acme.toml:2:9: hours: expected a whole number from 1 to 10000, found string \"twenty\"",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-05\"\nend = \"2026-01\"",
                "contracts/acme.toml:4:7: end: 2026-01 is before start 2026-05",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nhours = 20\nstart = \"2026-01\"",
                "give either a tier or hours and rate, not both",
            ),
            ("customer = \"A\"\nstart = \"2026-01\"", "tier: missing"),
            ("tier = \"20h\"\nstart = \"2026-01\"", "customer: missing"),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-01\"\n[[change]]\nfrom = \"2025-07\"\ntier = \"30h\"",
                "from: 2025-07 is not inside the contract",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-01\"\n[[change]]\nfrom = \"2026-07\"\ntier = \"30h\"\n[[change]]\nfrom = \"2026-07\"\nrate = \"1\"",
                "contracts/acme.toml:8:8: from: two changes from 2026-07",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-1\"",
                "start: \"2026-1\" is not a month (expected YYYY-MM)",
            ),
            (
                "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-01\"\nrate = 100.005",
                "contracts/acme.toml:4:8: rate: \"100.005\" has more than 2 decimals",
            ),
            (
                "customer = \"A\"\nhours = 20\nrate = 100.005\nstart = \"2026-01\"",
                "contracts/acme.toml:3:8: rate: \"100.005\" has more than 2 decimals",
            ),
            ("customer = \"A\nstart", "contracts/acme.toml:2:6: invalid TOML"),
        ];
        for (src, want) in cases {
            let (c, errs) = read_str(src);
            assert!(c.is_none(), "{src}");
            assert!(errs.iter().any(|e| e.contains(want)), "{src}: {errs:?} lacks {want}");
        }
    }

    #[test]
    fn ids() {
        assert!(valid_id("acme-2"));
        for bad in ["", "ACME", "a b", "müller", "a_b"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
