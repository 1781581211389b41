//! `supportctl contracts`: every contract with its terms for a month.

use std::io::Write;

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::{Context, Outcome, print_problems};
use crate::cli::MonthArg;
use crate::model::TermsPatch;
use crate::model::amount::increment_text;
use crate::read::{self, Scope};
use crate::render::human::{keep_figures_whole, money};

pub fn run(ctx: &Context, month: MonthArg, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut month_seen = None;
    let loaded = read::load_with(&root, |s| {
        month_seen = Some(month.resolve(ctx.this_month(s)));
        Scope::Terms
    });
    let m = month_seen.expect("load_with always asks for the scope");
    if print_problems(&loaded, err)? > 0 {
        return Ok(Outcome::DataError);
    }
    let s = loaded.settings();
    let mut contracts: Vec<_> = loaded.contracts.iter().collect();
    contracts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header([
        "Contract",
        "Customer",
        "Tier",
        "Hours",
        "Rate",
        "Overage rate",
        "VAT %",
        "Rounding",
        "Fee",
        "Active",
        "In month",
        "Changes",
    ]);
    for c in contracts {
        // Terms of the month, or of the nearest month the contract covers.
        let at = if m < c.start { c.start } else { c.end.filter(|e| m > *e).unwrap_or(m) };
        let terms = c.terms(at);
        let status = if c.is_active(m) {
            "active".to_string()
        } else if m < c.start {
            format!("starts {}", c.start)
        } else {
            "ended".to_string()
        };
        let period = format!("{} – {}", c.start, c.end.map(|e| e.to_string()).unwrap_or_default());
        t.add_row([
            c.id.clone(),
            c.customer.clone(),
            terms.tier.clone().unwrap_or_else(|| "custom".into()),
            terms.hours.to_string(),
            money(terms.rate, s.locale, &s.currency),
            money(terms.overage_rate, s.locale, &s.currency),
            terms.vat_rate.to_string(),
            increment_text(terms.rounding),
            money(terms.fee(), s.locale, &s.currency),
            period,
            status,
            c.changes.iter().map(|(from, p)| format!("{from}: {}", describe(p))).collect::<Vec<_>>().join("; "),
        ]);
    }
    keep_figures_whole(&mut t, &[1, 11]);
    for i in 3..=8 {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "Contracts, terms for {m}")?;
    writeln!(out, "{t}")?;
    Ok(Outcome::Ok)
}

/// `tier 30h, rate 110.00` — what a `[[change]]` names.
fn describe(p: &TermsPatch) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &p.tier {
        parts.push(format!("tier {}", t.name));
    }
    if let Some(h) = p.hours {
        parts.push(format!("hours {h}"));
    }
    if let Some(r) = p.rate {
        parts.push(format!("rate {r}"));
    }
    if let Some(r) = p.overage_rate {
        parts.push(format!("overage rate {r}"));
    }
    if let Some(v) = p.vat_rate {
        parts.push(format!("VAT {v} %"));
    }
    if let Some(r) = p.rounding {
        parts.push(format!("rounding {}", increment_text(r)));
    }
    parts.join(", ")
}
