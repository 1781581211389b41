//! Verification of a closing (SPEC §8.1), pure: the closing against what
//! the ledger's files give now — terms key by key, row counts, digests and
//! every figure — as a list of differences, each naming the contract, what
//! differs and the file to look at.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::Terms;
use crate::model::amount::increment_text;

use super::ContractMonth;
use super::closing::{Closing, RowDigests};
use super::digest::Digest;

/// What the files give now for one contract of the closed month.
#[derive(Clone, Debug)]
pub struct Now {
    pub terms: Option<Terms>,
    pub figures: ContractMonth,
    pub rows: RowDigests,
}

/// Which file a difference points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Look {
    /// `contracts/<id>.toml` (and the defaults in `supportctl.toml`).
    Contract,
    /// The time-log rows of the month.
    TimeLog,
    Approvals,
    Corrections,
    Settings,
    /// The figures differ while terms and rows do not: the closing file.
    Closing,
}

/// One difference between a closing and the ledger now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// `None` for the month as a whole.
    pub contract: Option<String>,
    pub what: String,
    pub look: Look,
    /// For rows: (rows at closing, rows now), to look for one late row.
    pub rows: Option<(Digest, Digest)>,
}

fn terms_map(t: &Terms) -> Vec<(&'static str, String)> {
    vec![
        ("tier", t.tier.as_ref().map_or_else(|| "none (custom terms)".to_string(), |n| format!("\"{n}\""))),
        ("hours", t.hours.to_string()),
        ("rate", format!("\"{}\"", t.rate)),
        ("overage_rate", format!("\"{}\"", t.overage_rate)),
        ("vat_rate", format!("\"{}\"", t.vat_rate)),
        ("rounding", format!("\"{}\"", increment_text(t.rounding))),
    ]
}

fn json_text(v: &Value) -> String {
    v.to_string()
}

/// Compares `closing` with what the files give `now` (contracts by id) and
/// the ledger's currency.
pub fn compare(closing: &Closing, currency: &str, now: &BTreeMap<String, Now>) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut diff = |contract: Option<&str>, what: String, look: Look, rows: Option<(Digest, Digest)>| {
        out.push(Difference { contract: contract.map(str::to_string), what, look, rows });
    };
    if closing.currency != currency {
        diff(None, format!("currency: \"{}\" at closing, \"{currency}\" now", closing.currency), Look::Settings, None);
    }
    for cc in &closing.contracts {
        let id = cc.figures.contract.as_str();
        let Some(n) = now.get(id) else {
            diff(
                Some(id),
                format!(
                    "in the closing, but not in {}'s figures now (contract file removed, or its start or end changed?)",
                    closing.month
                ),
                Look::Contract,
                None,
            );
            continue;
        };
        let mut terms_differ = false;
        match (&cc.terms, &n.terms) {
            (Some(a), Some(b)) => {
                for ((key, was), (_, is)) in terms_map(a).into_iter().zip(terms_map(b)) {
                    if was != is {
                        terms_differ = true;
                        diff(Some(id), format!("{key}: {was} at closing, {is} now"), Look::Contract, None);
                    }
                }
            }
            (None, None) => {}
            (Some(_), None) => {
                terms_differ = true;
                diff(Some(id), "active in the closed month at closing, not now".into(), Look::Contract, None);
            }
            (None, Some(_)) => {
                terms_differ = true;
                diff(Some(id), "not active in the closed month at closing, active now".into(), Look::Contract, None);
            }
        }
        let mut rows_look = None;
        for (what, look, was, is) in [
            ("timelog rows", Look::TimeLog, cc.rows.timelog, n.rows.timelog),
            ("approval rows", Look::Approvals, cc.rows.approvals, n.rows.approvals),
            ("correction rows", Look::Corrections, cc.rows.corrections, n.rows.corrections),
        ] {
            if was == is {
                continue;
            }
            let text = if was.rows == is.rows {
                format!(
                    "{what}: {} at closing and now, but a row differs ({} at closing, {} now)",
                    was.rows,
                    was.hex(),
                    is.hex()
                )
            } else {
                format!("{what}: {} at closing, {} now", was.rows, is.rows)
            };
            rows_look.get_or_insert(look.clone());
            diff(Some(id), text, look, Some((was, is)));
        }
        // Figures follow from the terms and rows; when those are the same,
        // different figures mean the closing file itself was edited.
        let look = if terms_differ { Look::Contract } else { rows_look.unwrap_or(Look::Closing) };
        // The write-off is the closing's decision, not something files give.
        let mut now_figures = n.figures.clone();
        now_figures.written_off_minutes = cc.figures.written_off_minutes.min(now_figures.unapproved_overage_minutes);
        if now_figures == cc.figures {
            continue;
        }
        let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
            (serde_json::to_value(&cc.figures), serde_json::to_value(&now_figures))
        else {
            continue;
        };
        for (key, was) in &a {
            let is = b.get(key).unwrap_or(&Value::Null);
            // The terms in the figures were compared key by key above.
            let term = matches!(key.as_str(), "tier" | "rate" | "overage_rate" | "vat_rate");
            if was != is && key != "contract" && !(term && cc.terms.is_some() && n.terms.is_some()) {
                diff(
                    Some(id),
                    format!("{key}: {} at closing, {} now", json_text(was), json_text(is)),
                    look.clone(),
                    None,
                );
            }
        }
    }
    for id in now.keys().filter(|id| closing.contract(id).is_none()) {
        diff(
            Some(id),
            format!("in {}'s figures now, but not in the closing (its start or end changed?)", closing.month),
            Look::Contract,
            None,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::compute::closing::{ClosedContract, Closing};
    use crate::compute::{Totals, Usage, contract_month};
    use crate::model::{Contract, Money, Month, TermsPatch};

    fn contract() -> Contract {
        Contract {
            customer: "ACME GmbH".into(),
            base: TermsPatch { tier: Some(crate::read::settings::builtin_tiers()[1].clone()), ..Default::default() },
            ..Contract::for_tests()
        }
    }

    fn closing_and_now(used: u64) -> (Closing, BTreeMap<String, Now>) {
        let c = contract();
        let m: Month = "2026-10".parse().unwrap();
        let figures = contract_month(&c, &c.terms(m), Usage { used: 1000, ..Default::default() }, 0);
        let rows = RowDigests { timelog: Digest::of(vec!["a", "b"]), ..Default::default() };
        let closing = Closing {
            month: m,
            closed_at: "2026-11-02T09:00:00+01:00".into(),
            closed_by: "anna".into(),
            currency: "EUR".into(),
            previous: None,
            totals: Totals::of(std::slice::from_ref(&figures)),
            contracts: vec![ClosedContract { terms: Some(c.terms(m)), figures, rows }],
        };
        let figures_now = contract_month(&c, &c.terms(m), Usage { used, ..Default::default() }, 0);
        let mut now = BTreeMap::new();
        now.insert("acme".to_string(), Now { terms: Some(c.terms(m)), figures: figures_now, rows });
        (closing, now)
    }

    #[test]
    fn the_same_files_give_no_difference() {
        let (closing, now) = closing_and_now(1000);
        assert_eq!(compare(&closing, "EUR", &now), vec![]);
    }

    #[test]
    fn terms_rows_and_figures_are_named() {
        let (closing, mut now) = closing_and_now(1060);
        let n = now.get_mut("acme").unwrap();
        n.terms.as_mut().unwrap().rate = Money::round(Decimal::from(95));
        n.rows.timelog = Digest::of(vec!["a", "b", "c"]);
        let d: Vec<String> = compare(&closing, "CHF", &now).into_iter().map(|d| d.what).collect();
        assert!(d.contains(&"currency: \"EUR\" at closing, \"CHF\" now".to_string()), "{d:?}");
        assert!(d.contains(&"rate: \"100.00\" at closing, \"95.00\" now".to_string()), "{d:?}");
        assert!(d.contains(&"timelog rows: 2 at closing, 3 now".to_string()), "{d:?}");
        assert!(d.contains(&"used_minutes: 1000 at closing, 1060 now".to_string()), "{d:?}");
    }

    #[test]
    fn an_edited_row_keeps_the_count_but_not_the_digest() {
        let (closing, mut now) = closing_and_now(1000);
        now.get_mut("acme").unwrap().rows.timelog = Digest::of(vec!["a", "B"]);
        let d = compare(&closing, "EUR", &now);
        assert_eq!(d.len(), 1);
        assert!(d[0].what.starts_with("timelog rows: 2 at closing and now, but a row differs"), "{d:?}");
        assert_eq!(d[0].look, Look::TimeLog);
    }

    #[test]
    fn contracts_missing_on_either_side() {
        let (closing, mut now) = closing_and_now(1000);
        let extra = now["acme"].clone();
        now.insert("beta".into(), extra);
        now.remove("acme");
        let d: Vec<(Option<String>, Look)> =
            compare(&closing, "EUR", &now).into_iter().map(|d| (d.contract, d.look)).collect();
        assert_eq!(d, vec![(Some("acme".into()), Look::Contract), (Some("beta".into()), Look::Contract)]);
    }
}
