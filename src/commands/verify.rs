//! `supportctl verify [--month M]`: every closing (or M's) against the files
//! it was made from, and the chain of closings. Also the verification that
//! `check`, `report` of a closed month and `close` share: which closings
//! the corrections of a month need, the month's figures as the files give
//! them now, one closing compared, the chain.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::{Context, Outcome, plural, print_problems};
use crate::cli::MonthArg;
use crate::compute::closing::Closing;
use crate::compute::digest::{one_row_added, sha256_text};
use crate::compute::verify::{Look, Now, compare};
use crate::compute::{ClosedBase, Corrections, MonthReport, month_from, month_with};
use crate::model::amount::{hm, round_up};
use crate::model::{Kind, Month};
use crate::read::closings::{self, ClosingFile};
use crate::read::{self, CORRECTIONS_FILE, Loaded, Problems, RowKind, Scope, Want, corrections, timelog};

/// Rows of a group are searched for the one that arrived after a closing
/// only up to this many (the search is quadratic).
const LATE_ROW_SEARCH: usize = 5_000;

/// Reads the closings that the corrections dated in `months` refer to,
/// into `closings` (those already there are kept), recording problems.
pub fn read_corrected(
    root: &Path,
    loaded: &Loaded,
    months: &[Month],
    closings: &mut BTreeMap<Month, ClosingFile>,
    problems: &mut Problems,
) {
    let mut wanted: Vec<Month> = loaded
        .corrections
        .iter()
        .filter(|c| months.contains(&Month::of(c.correction.date)))
        .map(|c| c.correction.month)
        .collect();
    wanted.sort();
    wanted.dedup();
    for m in wanted {
        if closings.contains_key(&m) || !closings::is_closed(root, m) {
            continue;
        }
        if let Some(cf) = closings::read(root, m, problems) {
            closings.insert(m, cf);
        }
    }
    // The corrections billed in these months must refer to closed months
    // and to contracts in their closings.
    let rows: Vec<_> =
        loaded.corrections.iter().filter(|c| months.contains(&Month::of(c.correction.date))).cloned().collect();
    corrections::check_against_closings(CORRECTIONS_FILE, &rows, &|m| closings.get(&m).map(|cf| &cf.closing), problems);
}

/// Every valid correction with the closed figures it builds on.
pub fn corrections_of(loaded: &Loaded, closings: &BTreeMap<Month, ClosingFile>) -> Corrections {
    let mut c = Corrections { rows: loaded.correction_values(), ..Corrections::default() };
    for (m, cf) in closings {
        for cc in &cf.closing.contracts {
            if let Some(base) = ClosedBase::of(&cc.figures) {
                c.bases.insert((cc.figures.contract.clone(), *m), base);
            }
        }
    }
    c
}

/// The figures of `m` for every contract, as `report --month m` shows them,
/// and the closing when `m` is closed (verified against the files, its
/// problems recorded). `None` when a closing the month needs cannot be read.
pub fn month_figures(
    root: &Path,
    loaded: &Loaded,
    m: Month,
    p: &mut Problems,
) -> Option<(MonthReport, Option<ClosingFile>)> {
    let closing = loaded.closings.get(&m).cloned();
    let mut files = loaded.closings.clone();
    read_corrected(root, loaded, &[m], &mut files, p);
    let corrections = corrections_of(loaded, &files);
    match closing {
        Some(cf) => {
            verify_one(root, loaded, &cf, &corrections, p);
            verify_link(root, &cf, p);
            Some((cf.closing.report(), Some(cf)))
        }
        None if closings::is_closed(root, m) => None,
        None => Some((figures_now(loaded, m, &corrections), None)),
    }
}

/// Month `m`'s figures as the files give them now, with its corrections:
/// from the month's entries, or from `check`'s usage of every month.
pub fn figures_now(loaded: &Loaded, m: Month, corrections: &Corrections) -> MonthReport {
    let s = loaded.settings();
    // `check` and a statement read usage per month; `report` a month's entries.
    if matches!(loaded.scope, Some(Scope::All | Scope::Months(..))) {
        let index: BTreeMap<&str, usize> =
            loaded.contracts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut approved: BTreeMap<&str, u64> = BTreeMap::new();
        for a in loaded.approvals.iter().filter(|a| a.approval.month == m) {
            *approved.entry(a.contract_id()).or_default() += a.approval.minutes;
        }
        let usage = |id: &str| index.get(id).and_then(|i| loaded.usage.get(&(*i, m))).copied().unwrap_or_default();
        let approved = |id: &str| approved.get(id).copied().unwrap_or_default();
        month_from(m, &s.currency, &loaded.contracts, &usage, &approved, corrections)
    } else {
        let approvals: Vec<_> = loaded.approvals.iter().map(|a| a.approval.clone()).collect();
        month_with(m, &s.currency, &loaded.contracts, &loaded.entries, &approvals, corrections)
    }
}

/// The file a difference points at.
fn look_file(look: &Look, id: Option<&str>, m: Month) -> String {
    match look {
        Look::Contract => id.map_or_else(|| read::CONTRACTS_DIR.to_string(), read::contracts::file),
        Look::TimeLog => format!("{}/{m}.csv", read::TIMELOG_DIR),
        Look::Approvals => read::APPROVALS_FILE.to_string(),
        Look::Corrections => CORRECTIONS_FILE.to_string(),
        Look::Settings => read::SETTINGS_FILE.to_string(),
        Look::Closing => closings::file(m),
    }
}

/// What to do with the one row of `kind` that arrived after `closing`
/// (its canonical fields `row`).
fn late_row_advice(kind: RowKind, row: &[u8], id: &str, closing: &Closing) -> String {
    let m = closing.month;
    let fields: Vec<String> = row
        .split(|&b| b == crate::compute::digest::UNIT_SEPARATOR)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let field = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
    match kind {
        RowKind::TimeLog => {
            let minutes = timelog::parse_minutes(field(timelog::MINUTES)).unwrap_or(0);
            let kind = Kind::parse(field(timelog::KIND)).unwrap_or_default();
            let rounding = closing.contract(id).and_then(|c| c.terms.as_ref()).map_or(1, |t| t.rounding);
            let billed = if kind == Kind::Nonbillable { 0 } else { round_up(minutes, rounding) };
            let ticket = field(timelog::TICKET);
            let ticket = if ticket.is_empty() { String::new() } else { format!(", {ticket}") };
            let what = format!("{}, {}{ticket}", field(timelog::DATE), hm(minutes));
            if billed == 0 {
                format!("this entry ({what}) arrived after {m} was closed (a git merge?); remove it: it bills nothing")
            } else {
                format!(
                    "this entry ({what}) arrived after {m} was closed (a git merge?); remove it and record it with `supportctl correct {id} {} --month {m} --reason \"…\"`",
                    crate::model::amount::duration_text(billed)
                )
            }
        }
        RowKind::Approvals => format!(
            "this approval ({} for {m}) arrived after {m} was closed (a git merge?); remove it: overage agreed after the closing is not invoiced",
            hm(timelog::parse_minutes(field(crate::read::approvals::MINUTES)).unwrap_or(0))
        ),
        RowKind::Corrections => format!(
            "this correction (recorded {}) arrived after {m} was closed (a git merge?); remove it and record it again with a date in an open month",
            field(0)
        ),
    }
}

/// Compares the closing `cf` with what the files give now (`loaded` read
/// with the digests of its month), recording every difference as a problem
/// at the file to look at (a late row at its line). Returns how many.
pub fn verify_one(
    root: &Path,
    loaded: &Loaded,
    cf: &ClosingFile,
    corrections: &Corrections,
    problems: &mut Problems,
) -> usize {
    let closing = &cf.closing;
    let m = closing.month;
    let report = figures_now(loaded, m, corrections);
    let mut now = BTreeMap::new();
    for figures in report.contracts {
        let c = loaded.contracts.iter().find(|c| c.id == figures.contract);
        let terms = c.filter(|c| c.is_active(m)).map(|c| c.terms(m));
        let rows = loaded.row_digests(&figures.contract, m);
        now.insert(figures.contract.clone(), Now { terms, figures, rows });
    }
    // A contract whose file cannot be read is not "missing now": its
    // problems are reported already.
    now.extend(closing.contracts.iter().filter(|cc| loaded.broken.contains(&cc.figures.contract)).map(|cc| {
        (cc.figures.contract.clone(), Now { terms: cc.terms.clone(), figures: cc.figures.clone(), rows: cc.rows })
    }));
    let differences = compare(closing, &loaded.settings().currency, &now);
    for d in &differences {
        let id = d.contract.as_deref();
        let mut file = look_file(&d.look, id, m);
        let mut line = None;
        let mut text = format!("closed month {m}{}: {}", id.map(|i| format!(", {i}")).unwrap_or_default(), d.what);
        let kind = match d.look {
            Look::TimeLog => Some(RowKind::TimeLog),
            Look::Approvals => Some(RowKind::Approvals),
            Look::Corrections => Some(RowKind::Corrections),
            _ => None,
        };
        if let (Some((was, is)), Some(kind), Some(id)) = (d.rows, kind, id)
            && is.rows == was.rows + 1
        {
            let rows = read::month_rows(root, loaded, kind, id, m);
            let bytes: Vec<&[u8]> = rows.iter().map(|r| r.0.as_slice()).collect();
            if let Some(i) = one_row_added(&was, &bytes, LATE_ROW_SEARCH) {
                file.clone_from(&rows[i].1);
                line = Some(rows[i].2);
                text = format!("closed month {m}, {id}: {}", late_row_advice(kind, &rows[i].0, id, closing));
            }
        }
        problems.error(&file, line, None, text);
    }
    differences.len()
}

/// Checks `month`'s link of the chain: the closing it names as `previous`
/// exists and still has the SHA-256 recorded. Returns whether it holds.
pub fn verify_link(root: &Path, cf: &ClosingFile, problems: &mut Problems) -> bool {
    verify_link_with(root, cf, None, problems)
}

/// [`verify_link`], with the previous closing's SHA-256 taken from `read`
/// (closings read already) when it is there, from the file otherwise.
fn verify_link_with(
    root: &Path,
    cf: &ClosingFile,
    read: Option<&BTreeMap<Month, ClosingFile>>,
    problems: &mut Problems,
) -> bool {
    let Some(p) = &cf.closing.previous else { return true };
    let m = cf.closing.month;
    let rel = closings::file(p.month);
    let known = read.and_then(|r| r.get(&p.month)).map(|f| f.sha256);
    match known.map_or_else(|| std::fs::read(root.join(&rel)).map(|b| crate::compute::digest::sha256_of(&b)), Ok) {
        Err(_) => {
            problems.error(
                &closings::file(m),
                None,
                None,
                format!(
                    "previous: the closing it follows, {rel}, is missing: the chain of closings is broken (a closing deleted?)"
                ),
            );
            false
        }
        Ok(now) => {
            if now == p.sha256 {
                return true;
            }
            problems.error(
                &rel,
                None,
                None,
                format!(
                    "changed since {m} was closed: {m}'s closing recorded {} for it, the file is {} now; a closing is never edited",
                    sha256_text(&p.sha256),
                    sha256_text(&now)
                ),
            );
            false
        }
    }
}

/// The chain over all `closings`: every link holds, one first closing, no
/// two closings following the same one (two copies of the ledger closed
/// months without each other's closings).
pub fn verify_chain(root: &Path, closings: &BTreeMap<Month, ClosingFile>, problems: &mut Problems) {
    let mut followers: BTreeMap<Month, Vec<Month>> = BTreeMap::new();
    let mut first: Vec<&Closing> = Vec::new();
    for cf in closings.values() {
        verify_link_with(root, cf, Some(closings), problems);
        match &cf.closing.previous {
            Some(p) => followers.entry(p.month).or_default().push(cf.closing.month),
            None => first.push(&cf.closing),
        }
    }
    for (p, after) in followers.iter().filter(|(_, a)| a.len() > 1) {
        let names: Vec<String> = after.iter().map(|m| m.to_string()).collect();
        problems.error(
            &closings::file(after[1]),
            None,
            None,
            format!(
                "previous: {} all follow {p}: two copies of the ledger closed months without each other's closings; keep one chain (remove the later closing and close that month again)",
                names.join(", ")
            ),
        );
    }
    first.sort_by_key(|c| chrono::DateTime::parse_from_rfc3339(&c.closed_at).ok());
    for later in first.iter().skip(1) {
        problems.error(
            &closings::file(later.month),
            None,
            None,
            format!(
                "previous: missing, but {} was closed before it: every closing after the first names the one before (the chain of closings is broken)",
                first[0].month
            ),
        );
    }
}

/// The closing written last, which a new closing names as `previous`: the
/// latest `closed_at` among the closings no other closing follows (so that
/// closings made within the same minute keep their order).
pub fn latest(closings: &BTreeMap<Month, ClosingFile>) -> Option<&ClosingFile> {
    let followed: Vec<Month> =
        closings.values().filter_map(|cf| cf.closing.previous.as_ref().map(|p| p.month)).collect();
    let key = |cf: &&ClosingFile| (chrono::DateTime::parse_from_rfc3339(&cf.closing.closed_at).ok(), cf.closing.month);
    closings
        .values()
        .filter(|cf| !followed.contains(&cf.closing.month))
        .max_by_key(key)
        .or_else(|| closings.values().max_by_key(key))
}

/// A status line for one closing.
fn status_line(cf: &ClosingFile, differences: usize) -> String {
    let c = &cf.closing;
    let verdict = if differences == 0 { "ok".to_string() } else { plural(differences, "difference") };
    format!(
        "{} {verdict}: closed {} by {}, {}",
        c.month,
        c.closed_at,
        c.closed_by,
        plural(c.contracts.len(), "contract")
    )
}

pub fn run(ctx: &Context, month: Option<MonthArg>, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let out = &mut crate::render::width::WrapLines::new(out, ctx.out_width());
    let root = ctx.ledger()?;
    let mut listing = Problems::default();
    let closed = closings::list(&root, &mut listing);
    let mut chosen = None;
    let mut loaded = read::load_want(&root, |s| {
        let today = ctx.this_month(s);
        let m = month.map(|a| a.resolve(today));
        chosen = m;
        match m {
            Some(m) if closed.contains(&m) => Want::verifying(Scope::Month(m), &[m]),
            Some(m) => Want::from(Scope::Month(m)),
            None => Want::verifying(Scope::All, &closed),
        }
    });
    loaded.problems.list.extend(listing.list);
    let months: Vec<Month> = match chosen {
        Some(m) if !closed.contains(&m) => {
            print_problems(&loaded, err)?;
            writeln!(
                err,
                "error: {m} is not closed (there is no {}); close it with `supportctl close --month {m}`",
                closings::file(m)
            )?;
            return Ok(Outcome::DataError);
        }
        Some(m) => vec![m],
        None => closed.clone(),
    };
    let mut p = Problems::default();
    let mut files = std::mem::take(&mut loaded.closings);
    read_corrected(&root, &loaded, &months, &mut files, &mut p);
    let corrections = corrections_of(&loaded, &files);
    let mut lines = Vec::new();
    let mut total = 0;
    for m in &months {
        let Some(cf) = files.get(m) else { continue };
        let mut own = Problems::default();
        let n = verify_one(&root, &loaded, cf, &corrections, &mut own);
        let linked = if chosen.is_some() { verify_link(&root, cf, &mut own) } else { true };
        let n = n + usize::from(!linked);
        total += n;
        lines.push(status_line(cf, n));
        p.list.extend(own.list);
    }
    if chosen.is_none() {
        let before = p.errors().count();
        verify_chain(&root, &files, &mut p);
        total += p.errors().count() - before;
    }
    if chosen.is_some()
        && let Some(cf) = months.first().and_then(|m| files.get(m))
    {
        lines.push(format!("SHA-256 of {}:", closings::file(cf.closing.month)));
        lines.push(sha256_text(&cf.sha256));
    }
    loaded.problems.list.extend(p.list);
    let errors = print_problems(&loaded, err)?;
    for l in lines {
        writeln!(out, "{l}")?;
    }
    if months.is_empty() {
        writeln!(out, "no month is closed yet (close one with `supportctl close --month last`)")?;
    }
    if errors > 0 || total > 0 {
        writeln!(err, "verify: {} in {}", plural(errors.max(total), "problem"), super::shown(&root))?;
        return Ok(Outcome::DataError);
    }
    Ok(Outcome::Ok)
}
