//! A [`Closing`] as the TOML of `closings/<YYYY-MM>.toml` (SPEC §8.1),
//! written with `toml_edit` so that `previous` and the corrections stay
//! inline tables and the file opens with a comment for whoever finds it.
//! `read::closings` parses it back; a unit test keeps the two in step.

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, value};

use crate::compute::closing::Closing;
use crate::compute::digest::sha256_text;
use crate::model::amount::increment_text;

fn int(n: u64) -> Item {
    // Minutes and row counts of a month are far below i64::MAX.
    value(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The closing's text.
pub fn closing_toml(c: &Closing) -> String {
    let mut doc = DocumentMut::new();
    doc.decor_mut().set_prefix(format!(
        "# The closing of {m}, written once by `supportctl close`. Never edit it:\n\
         # `supportctl verify` checks the ledger against it, and a closed month is\n\
         # changed only by corrections (`supportctl correct … --month {m}`).\n",
        m = c.month
    ));
    doc["month"] = value(c.month.to_string());
    doc["closed_at"] = value(c.closed_at.as_str());
    doc["closed_by"] = value(c.closed_by.as_str());
    doc["currency"] = value(c.currency.as_str());
    if let Some(p) = &c.previous {
        let mut t = InlineTable::new();
        t.insert("month", p.month.to_string().into());
        t.insert("sha256", sha256_text(&p.sha256).into());
        doc["previous"] = value(t);
    }
    let mut contracts = ArrayOfTables::new();
    for cc in &c.contracts {
        let f = &cc.figures;
        let mut t = Table::new();
        t["id"] = value(f.contract.as_str());
        t["customer"] = value(f.customer.as_str());
        if let Some(terms) = &cc.terms {
            if let Some(tier) = &terms.tier {
                t["tier"] = value(tier.as_str());
            }
            t["hours"] = int(terms.hours);
            t["rate"] = value(terms.rate.to_string());
            t["overage_rate"] = value(terms.overage_rate.to_string());
            t["vat_rate"] = value(terms.vat_rate.to_string());
            t["rounding"] = value(increment_text(terms.rounding));
        }
        for (key, n) in f.minute_fields() {
            t[key] = int(n);
        }
        t["fee"] = value(f.fee.to_string());
        t["overage_amount"] = value(f.overage_amount.to_string());
        let mut corrections = Array::new();
        for line in &f.corrections {
            let mut l = InlineTable::new();
            l.insert("month", line.month.to_string().into());
            l.insert("minutes", line.minutes.into());
            l.insert("amount", line.amount.to_string().into());
            l.insert("vat_rate", line.vat_rate.to_string().into());
            l.insert("reasons", line.reasons.iter().map(String::as_str).collect::<Array>().into());
            corrections.push(l);
        }
        t["corrections"] = value(corrections);
        t["correction_amount"] = value(f.correction_amount.to_string());
        t["net"] = value(f.net.to_string());
        t["vat"] = value(f.vat.to_string());
        t["gross"] = value(f.gross.to_string());
        for (rows, sha, d) in [
            ("timelog_rows", "timelog_sha256", cc.rows.timelog),
            ("approval_rows", "approvals_sha256", cc.rows.approvals),
            ("correction_rows", "corrections_sha256", cc.rows.corrections),
        ] {
            t[rows] = int(d.rows);
            t[sha] = value(d.hex());
        }
        contracts.push(t);
    }
    doc["contract"] = Item::ArrayOfTables(contracts);
    let mut totals = Table::new();
    for (key, m) in [
        ("fee", c.totals.fee),
        ("overage_amount", c.totals.overage_amount),
        ("correction_amount", c.totals.correction_amount),
        ("net", c.totals.net),
        ("vat", c.totals.vat),
        ("gross", c.totals.gross),
    ] {
        totals[key] = value(m.to_string());
    }
    doc["totals"] = Item::Table(totals);
    doc.to_string()
}
