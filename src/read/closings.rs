//! `closings/<YYYY-MM>.toml`: closed months (SPEC §8), one file each,
//! written once and never changed.

use std::path::Path;

use crate::model::Month;

/// The folder of the closing files.
pub const CLOSINGS_DIR: &str = "closings";

/// `closings/2026-10.toml`, relative to the ledger root.
pub fn file(m: Month) -> String {
    format!("{CLOSINGS_DIR}/{m}.toml")
}

/// Whether month `m` is closed: its closing file exists. Costs one `stat`,
/// so that writing commands (`log`, `approve`, `import`) can refuse a closed
/// month without reading any closing.
pub fn is_closed(root: &Path, m: Month) -> bool {
    root.join(file(m)).is_file()
}

use std::collections::BTreeMap;

use super::problem::Problems;
use super::toml_doc::{Table, TomlDoc};
use crate::compute::closing::{ClosedContract, Closing, Previous, RowDigests};
use crate::compute::digest::{Digest, parse_sha256, sha256_of};
use crate::compute::{ContractMonth, CorrectionLine, Totals};
use crate::model::{Money, Terms};

const KEYS: &[&str] = &["month", "closed_at", "closed_by", "currency", "previous", "contract", "totals"];
const CONTRACT_KEYS: &[&str] = &[
    "id",
    "customer",
    "tier",
    "hours",
    "rate",
    "overage_rate",
    "vat_rate",
    "rounding",
    "quota_minutes",
    "used_minutes",
    "escalated_minutes",
    "nonbillable_minutes",
    "forfeited_minutes",
    "overage_minutes",
    "approved_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "written_off_minutes",
    "fee",
    "overage_amount",
    "corrections",
    "correction_amount",
    "net",
    "vat",
    "gross",
    "timelog_rows",
    "timelog_sha256",
    "approval_rows",
    "approvals_sha256",
    "correction_rows",
    "corrections_sha256",
];
pub(super) const TERM_KEYS: &[&str] = &["tier", "hours", "rate", "overage_rate", "vat_rate", "rounding"];
const MONEY_KEYS: &[&str] = &["fee", "overage_amount", "correction_amount", "net", "vat", "gross"];

/// A closing as read, with the SHA-256 of its file's bytes (what a later
/// closing's `previous` names).
#[derive(Clone, Debug)]
pub struct ClosingFile {
    pub closing: Closing,
    pub sha256: [u8; 32],
}

/// The closed months, from the names in `closings/`. A temporary file that
/// an interrupted `close` left is a warning, any other name an error.
pub fn list(root: &Path, problems: &mut Problems) -> Vec<Month> {
    let mut months = Vec::new();
    for (name, is_file) in super::list(root, CLOSINGS_DIR, problems) {
        let rel = format!("{CLOSINGS_DIR}/{name}");
        if crate::append::is_temp_name(&name) {
            problems.warning(
                &rel,
                None,
                None,
                "a temporary file left by an interrupted write (a crash during `supportctl close`?); remove it",
            );
            continue;
        }
        match name.strip_suffix(".toml").and_then(|m| m.parse::<Month>().ok()) {
            Some(m) if is_file && !name.starts_with('.') => months.push(m),
            _ => problems.error(
                &rel,
                None,
                None,
                "not a closing: closings/ holds only the YYYY-MM.toml files `supportctl close` writes; move it out",
            ),
        }
    }
    months.sort();
    months
}

/// Reads the closing of `m`; `None` with the problems recorded when it
/// cannot be read.
pub fn read(root: &Path, m: Month, problems: &mut Problems) -> Option<ClosingFile> {
    let rel = file(m);
    let bytes = super::read_file(root, &rel, problems)?;
    let sha256 = sha256_of(&bytes);
    let Ok(src) = std::str::from_utf8(&bytes) else {
        problems.error(&rel, None, None, "not valid UTF-8");
        return None;
    };
    let closing = parse(&rel, src, problems)?;
    if closing.month != m {
        problems.error(&rel, None, None, format!("month: \"{}\" in the file named after {m}", closing.month));
        return None;
    }
    Some(ClosingFile { closing, sha256 })
}

/// Reads every closing in `months`, by month.
pub fn read_all(root: &Path, months: &[Month], problems: &mut Problems) -> BTreeMap<Month, ClosingFile> {
    months.iter().filter_map(|&m| Some((m, read(root, m, problems)?))).collect()
}

fn digest(doc: &mut TomlDoc<'_>, t: &Table<'_>, rows: &str, sha: &str) -> Option<Digest> {
    let n = doc.count(t, rows);
    let h = doc.string(t, sha).and_then(|(s, span)| {
        let d = parse_sha256(&s);
        if d.is_none() {
            doc.error(span, format!("{sha}: \"{s}\" is not a digest (sha256:<64 hex digits>)"));
        }
        d
    });
    for key in [rows, sha] {
        if !t.contains_key(key) {
            doc.error(0..0, format!("{key}: missing"));
        }
    }
    Some(Digest { rows: n?, sha256: h? })
}

fn contract(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> Option<ClosedContract> {
    doc.check_keys(t, CONTRACT_KEYS, " in [[contract]]");
    let id = doc.string(t, "id").map(|s| s.0);
    let customer = doc.string(t, "customer").map(|s| s.0);
    let has_terms = TERM_KEYS.iter().any(|k| t.contains_key(*k));
    let terms = if has_terms {
        let tier = doc.string(t, "tier").map(|s| s.0);
        let hours = doc.count(t, "hours");
        let rate = doc.money(t, "rate");
        let overage_rate = doc.money(t, "overage_rate");
        let vat_rate = doc.percent(t, "vat_rate");
        let rounding = doc.increment(t, "rounding");
        Some(Terms {
            tier,
            hours: hours?,
            rate: rate?,
            overage_rate: overage_rate?,
            vat_rate: vat_rate?,
            rounding: rounding?,
        })
    } else {
        None
    };
    let mut minutes = [0u64; 10];
    let mut ok = true;
    let names = ContractMonth::blank().minute_fields();
    for (i, (key, _)) in names.iter().enumerate() {
        match doc.count(t, key) {
            Some(n) => minutes[i] = n,
            None => ok = false,
        }
    }
    let mut money = [Money::ZERO; 6];
    for (i, key) in MONEY_KEYS.iter().enumerate() {
        match doc.signed_money(t, key) {
            Some(m) => money[i] = m,
            None => ok = false,
        }
    }
    let corrections = corrections(doc, t);
    for key in
        CONTRACT_KEYS.iter().filter(|k| !TERM_KEYS.contains(k) && !k.ends_with("sha256") && !k.ends_with("_rows"))
    {
        if !t.contains_key(*key) {
            doc.error(0..0, format!("[[contract]] {}: {key}: missing", id.as_deref().unwrap_or("?")));
            ok = false;
        }
    }
    let rows = RowDigests {
        timelog: digest(doc, t, "timelog_rows", "timelog_sha256")?,
        approvals: digest(doc, t, "approval_rows", "approvals_sha256")?,
        corrections: digest(doc, t, "correction_rows", "corrections_sha256")?,
    };
    if !ok {
        return None;
    }
    let [fee, overage_amount, correction_amount, net, vat, gross] = money;
    let figures = ContractMonth {
        contract: id?,
        customer: customer?,
        tier: terms.as_ref().and_then(|t| t.tier.clone()),
        quota_minutes: minutes[0],
        used_minutes: minutes[1],
        escalated_minutes: minutes[2],
        nonbillable_minutes: minutes[3],
        forfeited_minutes: minutes[4],
        overage_minutes: minutes[5],
        approved_minutes: minutes[6],
        approved_overage_minutes: minutes[7],
        unapproved_overage_minutes: minutes[8],
        written_off_minutes: minutes[9],
        rate: terms.as_ref().map(|t| t.rate),
        overage_rate: terms.as_ref().map(|t| t.overage_rate),
        vat_rate: terms.as_ref().map(|t| t.vat_rate),
        fee,
        overage_amount,
        corrections: corrections?,
        correction_amount,
        net,
        vat,
        gross,
    };
    Some(ClosedContract { terms, figures, rows })
}

fn corrections(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> Option<Vec<CorrectionLine>> {
    let v = t.get("corrections")?;
    let toml::de::DeValue::Array(items) = v.get_ref() else {
        doc.error(v.span(), "corrections: expected an array of tables");
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in items.iter() {
        let toml::de::DeValue::Table(l) = item.get_ref() else {
            doc.error(item.span(), "corrections: expected an array of tables");
            ok = false;
            continue;
        };
        doc.check_keys(l, &["month", "minutes", "amount", "vat_rate", "reasons"], " in corrections");
        let month = doc.month(l, "month").map(|m| m.0);
        let minutes = doc.signed(l, "minutes");
        let amount = doc.signed_money(l, "amount");
        let vat_rate = doc.percent(l, "vat_rate");
        let reasons = doc.strings(l, "reasons").map(|r| r.0);
        match (month, minutes, amount, vat_rate, reasons) {
            (Some(month), Some(minutes), Some(amount), Some(vat_rate), Some(reasons)) => {
                out.push(CorrectionLine { month, minutes, amount, vat_rate, reasons })
            }
            _ => {
                doc.error(item.span(), "corrections: each needs month, minutes, amount, vat_rate and reasons");
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// Parses a closing file's text: as `close` wrote it, quickly; otherwise
/// with the full TOML reader and its messages.
pub fn parse(file: &str, src: &str, problems: &mut Problems) -> Option<Closing> {
    super::closing_fast::parse(src).or_else(|| parse_toml(file, src, problems))
}

/// Parses a closing file's text with the full TOML reader.
pub fn parse_toml(file: &str, src: &str, problems: &mut Problems) -> Option<Closing> {
    let errors_before = problems.errors().count();
    let mut doc = TomlDoc::new(file, src, problems);
    let t = doc.parse()?;
    doc.check_keys(&t, KEYS, "");
    let month = doc.month(&t, "month").map(|m| m.0);
    let closed_at = doc.string(&t, "closed_at").map(|s| s.0);
    let closed_by = doc.string(&t, "closed_by").map(|s| s.0);
    let currency = doc.string(&t, "currency").map(|s| s.0);
    for key in ["month", "closed_at", "closed_by", "currency", "totals"] {
        if !t.contains_key(key) {
            doc.error(0..0, format!("{key}: missing"));
        }
    }
    let previous = match t.get("previous") {
        None => None,
        Some(v) => match v.get_ref() {
            toml::de::DeValue::Table(p) => {
                doc.check_keys(p, &["month", "sha256"], " in previous");
                let m = doc.month(p, "month").map(|m| m.0);
                let sha = doc.string(p, "sha256").and_then(|(s, span)| {
                    let d = parse_sha256(&s);
                    if d.is_none() {
                        doc.error(span, format!("sha256: \"{s}\" is not a digest (sha256:<64 hex digits>)"));
                    }
                    d
                });
                match (m, sha) {
                    (Some(month), Some(sha256)) => Some(Previous { month, sha256 }),
                    _ => {
                        doc.error(v.span(), "previous: needs month and sha256");
                        None
                    }
                }
            }
            _ => {
                doc.error(v.span(), "previous: expected a table { month = \"YYYY-MM\", sha256 = \"sha256:…\" }");
                None
            }
        },
    };
    let mut contracts = Vec::new();
    if let Some(v) = t.get("contract") {
        match v.get_ref() {
            toml::de::DeValue::Array(items) => {
                for item in items.iter() {
                    match item.get_ref() {
                        toml::de::DeValue::Table(ct) => contracts.extend(contract(&mut doc, ct)),
                        _ => doc.error(item.span(), "contract: expected [[contract]] tables"),
                    }
                }
            }
            _ => doc.error(v.span(), "contract: expected [[contract]] tables"),
        }
    }
    let mut totals = Totals::default();
    if let Some(v) = t.get("totals") {
        match v.get_ref() {
            toml::de::DeValue::Table(tt) => {
                doc.check_keys(tt, MONEY_KEYS, " in [totals]");
                let slots = [
                    &mut totals.fee,
                    &mut totals.overage_amount,
                    &mut totals.correction_amount,
                    &mut totals.net,
                    &mut totals.vat,
                    &mut totals.gross,
                ];
                for (key, slot) in MONEY_KEYS.iter().zip(slots) {
                    match doc.signed_money(tt, key) {
                        Some(m) => *slot = m,
                        None if !tt.contains_key(*key) => doc.error(v.span(), format!("[totals]: {key}: missing")),
                        None => {}
                    }
                }
            }
            _ => doc.error(v.span(), "totals: expected a [totals] table"),
        }
    }
    contracts.sort_by(|a, b| a.figures.contract.cmp(&b.figures.contract));
    for pair in contracts.windows(2).filter(|w| w[0].figures.contract == w[1].figures.contract) {
        doc.error(0..0, format!("[[contract]] {}: twice in one closing", pair[0].figures.contract));
    }
    if problems.errors().count() > errors_before {
        return None;
    }
    Some(Closing {
        month: month?,
        closed_at: closed_at?,
        closed_by: closed_by?,
        currency: currency?,
        previous,
        contracts,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::compute::closing::{Making, close};
    use crate::compute::{Corrections, Usage, contract_month};
    use crate::model::{Contract, Percent, TermsPatch};

    fn contract(id: &str, customer: &str) -> Contract {
        Contract {
            id: id.into(),
            customer: customer.into(),
            base: TermsPatch { tier: Some(crate::read::settings::builtin_tiers()[1].clone()), ..Default::default() },
            default_rounding: 15,
            ..Contract::for_tests()
        }
    }

    #[test]
    fn a_closing_reads_back_as_written() {
        let m: Month = "2026-11".parse().unwrap();
        let acme = contract("acme", "ACME \"Ost\" GmbH & Co.");
        let gone = contract("gone", "Gone AG");
        let mut corrections = Corrections::default();
        corrections.bases.insert(
            ("gone".into(), "2026-09".parse().unwrap()),
            crate::compute::ClosedBase {
                quota: 0,
                used: 0,
                approved: 100,
                overage_rate: Money::round(Decimal::from(100)),
                vat_rate: Percent::new(Decimal::from(7)),
            },
        );
        corrections.rows.push(crate::model::Correction {
            date: crate::model::parse_date("2026-11-03").unwrap(),
            contract: "gone".into(),
            month: "2026-09".parse().unwrap(),
            minutes: 30,
            reason: "forgotten, \"urgent\" call".into(),
        });
        let lines = corrections.lines(m, "gone");
        let a = contract_month(&acme, &acme.terms(m), Usage { used: 1410, escalated: 30, nonbillable: 5 }, 120);
        let g = ContractMonth::corrections_only(&gone, lines);
        let rows = vec![a, g];
        let report = crate::compute::MonthReport {
            month: m,
            currency: "EUR".into(),
            closed: None,
            totals: Totals::of(&rows),
            contracts: rows,
        };
        let closing = close(
            &report,
            Making {
                closed_at: "2026-12-01T09:00:00+01:00".into(),
                closed_by: "Zoë".into(),
                previous: Some(Previous { month: "2026-10".parse().unwrap(), sha256: [7; 32] }),
                write_off: true,
                terms: &|id| (id == "acme").then(|| acme.terms(m)),
                rows: &|_| RowDigests { timelog: Digest::of(vec!["x"]), ..Default::default() },
            },
        );
        let text = crate::render::closing::closing_toml(&closing);
        assert!(text.contains("previous = { month = \"2026-10\", sha256 = \"sha256:0707"), "{text}");
        assert!(text.contains("rounding = \"15m\""), "{text}");
        let mut p = Problems::default();
        let back = parse("closings/2026-11.toml", &text, &mut p);
        assert!(p.list.is_empty(), "{:?}", p.list);
        assert_eq!(back.as_ref(), Some(&closing));
        assert_eq!(back.unwrap().contracts[1].figures.correction_amount.to_string(), "50.00");
    }

    fn arb_closing() -> impl proptest::strategy::Strategy<Value = Closing> {
        use proptest::prelude::*;
        let text = "[a-zA-Z0-9 äöüß\"'\\,.&<>{}\\[\\]=#\t€-]{1,12}";
        let money = (-99_999_999i64..99_999_999).prop_map(|c| Money::round(Decimal::new(c, 2)));
        let pos_money = (0i64..99_999_999).prop_map(|c| Money::round(Decimal::new(c, 2)));
        let pct = (0u32..=1_000_000).prop_map(|p| Percent::new(Decimal::new(i64::from(p), 4)));
        let line = ((1u32..=12), -5000i64..5000, money.clone(), pct.clone(), prop::collection::vec(text, 0..3))
            .prop_map(|(mo, minutes, amount, vat_rate, reasons)| CorrectionLine {
                month: Month::new(2026, mo).unwrap(),
                minutes,
                amount,
                vat_rate,
                reasons,
            });
        let terms = prop::option::of((
            prop::option::of("[a-z0-9]{1,4}h"),
            0u64..200,
            pos_money.clone(),
            pos_money,
            pct,
            prop::sample::select(vec![1u32, 5, 15, 60, 90]),
        ))
        .prop_map(|t| {
            t.map(|(tier, hours, rate, overage_rate, vat_rate, rounding)| Terms {
                tier,
                hours,
                rate,
                overage_rate,
                vat_rate,
                rounding,
            })
        });
        let contract = (
            "[a-z0-9-]{1,10}",
            text,
            terms,
            prop::collection::vec(0u64..100_000, 10),
            prop::collection::vec(money.clone(), 6),
            prop::collection::vec(line, 0..3),
            prop::collection::vec((0u64..1000, any::<[u8; 32]>()), 3),
        )
            .prop_map(|(id, customer, terms, m, money, corrections, d)| {
                let digest = |i: usize| Digest { rows: d[i].0, sha256: d[i].1 };
                ClosedContract {
                    figures: ContractMonth {
                        contract: id,
                        customer,
                        tier: terms.as_ref().and_then(|t: &Terms| t.tier.clone()),
                        quota_minutes: m[0],
                        used_minutes: m[1],
                        escalated_minutes: m[2],
                        nonbillable_minutes: m[3],
                        forfeited_minutes: m[4],
                        overage_minutes: m[5],
                        approved_minutes: m[6],
                        approved_overage_minutes: m[7],
                        unapproved_overage_minutes: m[8],
                        written_off_minutes: m[9],
                        rate: terms.as_ref().map(|t| t.rate),
                        overage_rate: terms.as_ref().map(|t| t.overage_rate),
                        vat_rate: terms.as_ref().map(|t| t.vat_rate),
                        fee: money[0],
                        overage_amount: money[1],
                        corrections,
                        correction_amount: money[2],
                        net: money[3],
                        vat: money[4],
                        gross: money[5],
                    },
                    terms,
                    rows: RowDigests { timelog: digest(0), approvals: digest(1), corrections: digest(2) },
                }
            });
        (
            1u32..=12,
            "[0-9T:+-]{5,25}",
            text,
            prop::option::of((1u32..=12, any::<[u8; 32]>())),
            prop::collection::vec(contract, 0..4),
            prop::collection::vec(money, 6),
        )
            .prop_map(|(mo, closed_at, closed_by, previous, mut contracts, t)| {
                contracts.sort_by(|a, b| a.figures.contract.cmp(&b.figures.contract));
                contracts.dedup_by(|a, b| a.figures.contract == b.figures.contract);
                Closing {
                    month: Month::new(2026, mo).unwrap(),
                    closed_at,
                    closed_by,
                    currency: "EUR".into(),
                    previous: previous.map(|(m, sha256)| Previous { month: Month::new(2025, m).unwrap(), sha256 }),
                    contracts,
                    totals: Totals {
                        fee: t[0],
                        overage_amount: t[1],
                        correction_amount: t[2],
                        net: t[3],
                        vat: t[4],
                        gross: t[5],
                    },
                }
            })
    }

    proptest::proptest! {
        /// The fast reader and the TOML reader agree on every closing as
        /// written, and on every damaged one the fast reader accepts.
        #[test]
        fn the_fast_reader_agrees_with_the_toml_reader(
            c in arb_closing(),
            cut in 0usize..100_000,
            len in 0usize..40,
            insert in proptest::sample::select(vec!["", "\"", "'", "\\", "1", "-", " ", "\n", "#", "=", "[", "]", "{", ",", "x", "\r"]),
        ) {
            let text = crate::render::closing::closing_toml(&c);
            let mut p = Problems::default();
            // A string with both kinds of quote is written as a multi-line
            // string, which only the TOML reader reads.
            let fast = super::super::closing_fast::parse(&text);
            let odd = text.contains("\"\"\"") || text.contains("'''");
            proptest::prop_assert!(fast.as_ref() == Some(&c) || (fast.is_none() && odd), "{}", text);
            let either = parse("c.toml", &text, &mut p);
            proptest::prop_assert_eq!(either.as_ref(), Some(&c));
            let full = parse_toml("c.toml", &text, &mut p);
            proptest::prop_assert_eq!(full.as_ref(), Some(&c), "{:?}", p.list);
            // A damaged copy: some characters replaced by one of `insert`.
            let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count()).unwrap_or(0);
            let end = text[at..].char_indices().map(|(i, _)| at + i).nth(len).unwrap_or(text.len());
            let damaged = format!("{}{insert}{}", &text[..at], &text[end..]);
            if let Some(fast) = super::super::closing_fast::parse(&damaged) {
                let mut p = Problems::default();
                proptest::prop_assert_eq!(Some(fast), parse_toml("c.toml", &damaged, &mut p), "{}", damaged);
            }
        }
    }

    #[test]
    fn damaged_closings_are_errors_with_positions() {
        for (src, want) in [
            ("month = \"2026-11\"\n", "closed_at: missing"),
            (
                "month = \"2026-11\"\nclosed_at = \"x\"\nclosed_by = \"a\"\ncurrency = \"EUR\"\n[totals]\nfee = \"1\"\noverage_amount = \"0\"\ncorrection_amount = \"0\"\nnet = \"1\"\nvat = \"0.19\"\ngross = \"1.19\"\n[[contract]]\nid = \"a\"\n",
                "customer: missing",
            ),
            ("month = \"2026-11\"\nfoo = 1\n", "closings/2026-11.toml:2:1: foo: unknown key"),
            ("month = 2026\n", "month: expected a string"),
        ] {
            let mut p = Problems::default();
            assert!(parse("closings/2026-11.toml", src, &mut p).is_none(), "{src}");
            assert!(p.list.iter().any(|e| e.to_string().contains(want)), "{src}: {:?} lacks {want}", p.list);
        }
    }
}
