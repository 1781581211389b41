//! `supportctl close --month M [--write-off]`: fix a month's figures in
//! `closings/M.toml`, after every refusal of SPEC §8.1; nothing is written
//! on a refusal.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use super::verify::{corrections_of, figures_now, latest, read_corrected};
use super::{Context, Outcome, plural, print_problems};
use crate::append::{self, Existing};
use crate::cli::MonthArg;
use crate::compute::closing::{Making, Previous, close};
use crate::compute::digest::{sha256_of, sha256_text};
use crate::model::Month;
use crate::model::amount::hm;
use crate::read::closings::{self, ClosingFile};
use crate::read::{self, Problems, Scope, Want};
use crate::render::closing::closing_toml;
use crate::render::human::money;

pub fn run(
    ctx: &Context,
    month: MonthArg,
    write_off: bool,
    engineer: Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let out = &mut crate::render::width::WrapLines::new(out, ctx.out_width());
    let root = ctx.ledger()?;
    let mut seen = None;
    // Every earlier closing: the chain's last link, and the closed figures
    // that corrections billed in M build on. Any of them unreadable refuses.
    let mut p = Problems::default();
    let closed = closings::list(&root, &mut p);
    let mut loaded = read::load_want(&root, |s| {
        let today = ctx.today(s);
        let m = month.resolve(Month::of(today));
        seen = Some((m, today));
        Want { scope: Scope::Month(m), digests: [m].into(), closings: closed.clone(), keep: None }
    });
    let (m, today) = seen.expect("load_want always asks what to read");
    let rel = closings::file(m);
    if Month::of(today) <= m {
        writeln!(
            err,
            "error: {m} has not ended yet (today is {today}); a month is closed once it is over; nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }
    if closed.contains(&m) {
        // Read with the others (nothing when it could not be read).
        let when = loaded
            .closings
            .get(&m)
            .map(|cf| format!(" on {} by {}", cf.closing.closed_at, cf.closing.closed_by))
            .unwrap_or_default();
        writeln!(
            err,
            "error: {m} is closed already ({rel}{when}); change it with `supportctl correct … --month {m}`; nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }

    let mut files: BTreeMap<Month, ClosingFile> = std::mem::take(&mut loaded.closings);
    read_corrected(&root, &loaded, &[m], &mut files, &mut p);
    loaded.problems.list.extend(p.list);
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        writeln!(
            err,
            "error: {m} is not closed: {} in what its figures are made from; fix them first (see `supportctl check`); nothing was written",
            plural(errors, "error")
        )?;
        return Ok(Outcome::DataError);
    }
    let corrections = corrections_of(&loaded, &files);
    let report = figures_now(&loaded, m, &corrections);
    let unapproved: Vec<_> = report.contracts.iter().filter(|c| c.unapproved_overage_minutes > 0).collect();
    if !unapproved.is_empty() && !write_off {
        for c in &unapproved {
            writeln!(
                err,
                "error: {}: {} of {} overage in {m} is not approved; record the customer's agreement with `supportctl approve {} {} --month {m} --ref …`",
                c.contract,
                hm(c.unapproved_overage_minutes),
                hm(c.overage_minutes),
                c.contract,
                hm(c.unapproved_overage_minutes)
            )?;
        }
        let who = if unapproved.len() == 1 {
            "1 contract has".to_string()
        } else {
            format!("{} contracts have", unapproved.len())
        };
        writeln!(
            err,
            "error: {m} is not closed: {who} unapproved overage; approve it, or close with --write-off to record it as never invoiced; nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }

    let settings = loaded.settings();
    let now = ctx.now(settings);
    let previous = latest(&files).map(|cf| Previous { month: cf.closing.month, sha256: cf.sha256 });
    let terms = |id: &str| loaded.contracts.iter().find(|c| c.id == id && c.is_active(m)).map(|c| c.terms(m));
    let rows = |id: &str| loaded.row_digests(id, m);
    let closing = close(
        &report,
        Making {
            closed_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            closed_by: super::engineer(engineer),
            previous,
            write_off,
            terms: &terms,
            rows: &rows,
        },
    );
    let text = closing_toml(&closing);
    append::write_file(&root.join(&rel), &rel, text.as_bytes(), Existing::Refuse)?;

    let t = &closing.totals;
    let written_off: u64 = closing.contracts.iter().map(|c| c.figures.written_off_minutes).sum();
    writeln!(
        out,
        "closed {m}: {}, net {}, gross {}{}",
        plural(closing.contracts.len(), "contract"),
        money(t.net, settings.locale, &settings.currency),
        money(t.gross, settings.locale, &settings.currency),
        if written_off > 0 { format!(", {} written off", hm(written_off)) } else { String::new() }
    )?;
    writeln!(out, "SHA-256 of {rel}, for your books:")?;
    writeln!(out, "{}", sha256_text(&sha256_of(text.as_bytes())))?;
    Ok(Outcome::Ok)
}
