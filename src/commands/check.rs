//! `supportctl check`: read every file, list every problem, exit 1 on errors.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, plural, print_problems, verify};
use crate::compute::contract_month;
use crate::model::Month;
use crate::model::amount::hm;
use crate::read::{self, Loaded, Scope, closings, contracts, corrections};
use crate::render::width::WrapLines;

pub fn run(ctx: &Context, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut listing = read::Problems::default();
    let closed = closings::list(&root, &mut listing);
    let mut loaded = read::load_want(&root, |_| read::Want::verifying(Scope::All, &closed));
    loaded.problems.list.extend(listing.list);
    let tickets = loaded.read_tickets(&root);
    verify_closings(&root, &mut loaded);
    warn_low_fees(&mut loaded);
    warn_surplus_approvals(&mut loaded);
    let invoices = super::invoice::check(&root, &mut loaded);
    warn_shared_projects(&mut loaded);
    let errors = print_problems(&loaded, err)?;
    let warnings = loaded.problems.list.len() - errors;
    let summary = format!(
        "{}, {}, {}",
        plural(loaded.contracts.len(), "contract"),
        plural(loaded.rows, "time-log row"),
        plural(loaded.approvals.len(), "approval")
    );
    let mut summary =
        if tickets.is_empty() { summary } else { format!("{summary}, {}", plural(tickets.len(), "ticket event")) };
    if !loaded.corrections.is_empty() {
        summary = format!("{summary}, {}", plural(loaded.corrections.len(), "correction"));
    }
    if !closed.is_empty() {
        summary = format!("{summary}, {}", plural(closed.len(), "closed month"));
    }
    if invoices > 0 {
        summary = format!("{summary}, {}", plural(invoices, "invoice"));
    }
    if errors > 0 {
        writeln!(
            err,
            "check: {} and {} in {} ({summary} read)",
            plural(errors, "error"),
            plural(warnings, "warning"),
            super::shown(&root)
        )?;
        return Ok(Outcome::DataError);
    }
    let mut out = WrapLines::new(out, ctx.out_width());
    writeln!(
        out,
        "ok: {summary}{}",
        if warnings > 0 { format!(", {}", plural(warnings, "warning")) } else { String::new() }
    )?;
    Ok(Outcome::Ok)
}

/// SPEC §8: every closing against the files it was made from, the chain of
/// closings, and every correction against the closing it corrects.
fn verify_closings(root: &std::path::Path, loaded: &mut Loaded) {
    let mut p = read::Problems::default();
    let files = std::mem::take(&mut loaded.closings);
    corrections::check_against_closings(
        read::CORRECTIONS_FILE,
        &loaded.corrections,
        &|m| files.get(&m).map(|cf| &cf.closing),
        &mut p,
    );
    let all = verify::corrections_of(loaded, &files);
    for cf in files.values() {
        verify::verify_one(root, loaded, cf, &all, &mut p);
    }
    verify::verify_chain(root, &files, &mut p);
    loaded.problems.list.extend(p.list);
}

/// SPEC §6.1: a contract whose fee is below `min_monthly_fee` is a warning.
fn warn_low_fees(loaded: &mut Loaded) {
    let min = loaded.settings().min_monthly_fee;
    let mut found = Vec::new();
    for c in &loaded.contracts {
        let months = std::iter::once(c.start).chain(c.changes.iter().map(|(m, _)| *m));
        for m in months {
            let fee = c.terms(m).fee();
            if fee < min {
                found.push((c.id.clone(), m, fee));
            }
        }
    }
    for (id, m, fee) in found {
        loaded.problems.warning(
            &contracts::file(&id),
            None,
            None,
            format!("fee {fee} from {m} is below min_monthly_fee {min}"),
        );
    }
}

/// SPEC §6.1: approvals beyond the month's overage are a warning.
fn warn_surplus_approvals(loaded: &mut Loaded) {
    let mut approved: BTreeMap<(usize, Month), (u64, usize)> = BTreeMap::new();
    for a in &loaded.approvals {
        let e = approved.entry((a.contract, a.approval.month)).or_insert((0, a.line));
        e.0 += a.approval.minutes;
        e.1 = a.line;
    }
    let mut found = Vec::new();
    for ((ci, m), (minutes, line)) in approved {
        let c = &loaded.contracts[ci];
        let usage = loaded.usage.get(&(ci, m)).copied().unwrap_or_default();
        let cm = contract_month(c, &c.terms(m), usage, minutes);
        if minutes > cm.overage_minutes {
            found.push((
                line,
                format!(
                    "{} {m}: {} approved but the overage is {}; the surplus is not invoiced",
                    c.id,
                    hm(minutes),
                    hm(cm.overage_minutes)
                ),
            ));
        }
    }
    for (line, msg) in found {
        loaded.problems.warning(read::APPROVALS_FILE, Some(line), None, msg);
    }
}

/// A Jira project listed by two contracts: `import` cannot tell whose its
/// worklogs are, and refuses them (a warning: nothing is wrong yet).
fn warn_shared_projects(loaded: &mut Loaded) {
    let mut by_project: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in &loaded.contracts {
        for p in &c.jira_projects {
            by_project.entry(p.as_str()).or_default().push(c.id.as_str());
        }
    }
    let found: Vec<(String, String)> = by_project
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .flat_map(|(p, ids)| {
            let all = ids.join(", ");
            ids.iter()
                .map(|id| {
                    (
                        contracts::file(id),
                        format!("jira_projects: {p} is listed by {all}; `import` refuses its worklogs until one contract lists it"),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (file, msg) in found {
        loaded.problems.warning(&file, None, None, msg);
    }
}
