//! The write sequence of `supportctl invoice` (SPEC §9): for each contract of
//! a closed month, either nothing (already invoiced, file intact), the same
//! file again (already invoiced, file missing), or a new number from the
//! register, the invoice written to a synced temporary file, its register
//! row appended (the rows of one run in one safe append), and only then the
//! file renamed into place.
//!
//! Everything is judged for every contract before anything is written: a
//! refusal writes nothing. The register is read once by the caller.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::append::{self, Existing, Ids};
use crate::compute::invoice::{InvoiceInput, build, last_seq};
use crate::model::Month;
use crate::model::invoice::{RegisterEntry, TypeCode, format_number};
use crate::read::invoices::{self, HEADER, file_path, sha256_hex};
use crate::read::{INVOICES_FILE, Problems};
use crate::render::cii;

/// What the caller decided: the ledger, the folder for new invoices, the
/// month, the issue date of new numbers and the seller's number prefix.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// The ledger root.
    pub root: &'a Path,
    /// Where new invoices are written (`--output`, default `invoices/` in
    /// the ledger): absolute, or relative to the current folder.
    pub output: &'a Path,
    pub month: Month,
    /// `--date`, default today: the issue date of every new number.
    pub date: NaiveDate,
    /// `number_prefix` of `[seller]`.
    pub prefix: &'a str,
}

/// What happened to one contract's invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A new number was issued and its file written.
    Issued,
    /// Already in the register, its file was missing and is written again.
    Restored,
    /// Already in the register with its file intact: nothing to do.
    Unchanged,
}

/// One contract's invoice after the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub contract: String,
    pub number: String,
    pub type_code: TypeCode,
    pub issued: NaiveDate,
    /// As the register names it: relative to the ledger root, or absolute.
    pub file: String,
    pub action: Action,
}

/// Why the run stopped.
#[derive(Debug)]
pub enum Failure {
    /// Data problems found before anything was written (exit 1): each a
    /// message for one line of stderr.
    Refused(Vec<String>),
    /// A write failed; `done` were completed before it (each whole: its
    /// register row and its file). A register row whose file did not get
    /// into place is written again by the next run.
    Io { done: Vec<Written>, error: anyhow::Error },
}

/// One planned write.
enum Plan {
    Skip(Written),
    Restore { written: Written, path: PathBuf, bytes: Vec<u8> },
    New { written: Written, path: PathBuf, bytes: Vec<u8>, row: Vec<String> },
}

/// `path` lexically absolute (the current folder before a relative one).
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The register's `file` for `path`: relative to `root` with `/` when it
/// lies inside it, else absolute.
fn register_name(root: &Path, path: &Path) -> String {
    let (root, path) = (absolute(root), absolute(path));
    match path.strip_prefix(&root) {
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Writes the invoices of `inputs` (one per contract of the closed month
/// `req.month`, built by the caller from the month's figures) as SPEC §9
/// says, against the register's rows `register` (read once by the caller,
/// without problems). Returns what happened per contract, sorted by id.
pub fn write_invoices(
    req: &Request<'_>,
    register: &[RegisterEntry],
    inputs: &[InvoiceInput],
) -> Result<Vec<Written>, Failure> {
    let mut refused: Vec<String> = Vec::new();
    let mut check = Problems::default();
    invoices::verify(register, &mut check);
    if check.has_errors() {
        refused.extend(check.errors().map(|p| p.to_string()));
        refused.push(format!("{INVOICES_FILE} has errors; no invoice is numbered from a damaged register"));
        return Err(Failure::Refused(refused));
    }
    let mut inputs: Vec<&InvoiceInput> = inputs.iter().collect();
    inputs.sort_by(|a, b| a.contract.cmp(&b.contract));

    let mut plans = Vec::new();
    // This run's numbers follow the register's last of the year, one by one.
    let year = chrono::Datelike::year(&req.date);
    let mut last_seq = last_seq(register, year);
    let last_issued = register.iter().max_by_key(|r| (r.issued, r.line));
    let mut date_checked = false;
    for input in inputs {
        if input.month != req.month {
            refused.push(format!("{}: its figures are for {}, not {}", input.contract, input.month, req.month));
            continue;
        }
        if let Some(r) = register.iter().find(|r| r.contract == input.contract && r.month == req.month) {
            let written = Written {
                contract: r.contract.clone(),
                number: r.number.clone(),
                type_code: r.type_code,
                issued: r.issued,
                file: r.file.clone(),
                action: Action::Unchanged,
            };
            let path = file_path(req.root, &r.file);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let found = sha256_hex(&bytes);
                    if found == r.sha256 {
                        plans.push(Plan::Skip(written));
                    } else {
                        refused.push(format!(
                            "{}: invoice {} ({} {}) has SHA-256 {found}, but {INVOICES_FILE}:{} says {}: it was changed after it was issued; restore it (from git or a backup)",
                            r.file, r.number, r.contract, r.month, r.line, r.sha256
                        ));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => match build(input, &r.number, r.issued) {
                    Ok(inv) => {
                        let bytes = cii::invoice(&inv);
                        let made = sha256_hex(&bytes);
                        if made == r.sha256 {
                            plans.push(Plan::Restore {
                                written: Written { action: Action::Restored, ..written },
                                path,
                                bytes,
                            });
                        } else {
                            refused.push(format!(
                                "{}: invoice {} ({} {}) is missing, and written now it would differ from the one issued (SHA-256 {made}, {INVOICES_FILE}:{} says {}): seller, buyer or figures changed since; restore the file (from git or a backup)",
                                r.file, r.number, r.contract, r.month, r.line, r.sha256
                            ));
                        }
                    }
                    Err(e) => refused.push(e.to_string()),
                },
                Err(e) => refused.push(format!("{}: cannot read: {e}", r.file)),
            }
            continue;
        }
        // A new number: the issue date is judged once, here.
        if !date_checked {
            date_checked = true;
            let end = req.month.last_day();
            if req.date < end {
                refused.push(format!(
                    "--date {}: before the end of {} ({end}); a month is invoiced once it is over",
                    req.date, req.month
                ));
            }
            if let Some(l) = last_issued
                && req.date < l.issued
            {
                refused.push(format!(
                    "--date {}: before the last issue date in the register, {} ({}, {INVOICES_FILE}:{}); numbers follow their issue dates",
                    req.date, l.issued, l.number, l.line
                ));
            }
        }
        let number = format_number(req.prefix, year, last_seq + 1);
        let inv = match build(input, &number, req.date) {
            Ok(inv) => inv,
            Err(e) => {
                refused.push(e.to_string());
                continue;
            }
        };
        let bytes = cii::invoice(&inv);
        let path = req.output.join(format!("{number}.xml"));
        let file = register_name(req.root, &path);
        if path.exists() {
            refused.push(format!(
                "{file} exists but is not in {INVOICES_FILE}; move it away (an invoice from another ledger?)"
            ));
            continue;
        }
        let sha = sha256_hex(&bytes);
        // In the order of the register's HEADER.
        let row = vec![
            number.clone(),
            req.date.to_string(),
            input.contract.clone(),
            req.month.to_string(),
            inv.type_code.code().to_string(),
            input.net.to_string(),
            input.vat.to_string(),
            input.gross.to_string(),
            file.clone(),
            sha.clone(),
            ulid::Ulid::generate().to_string(),
        ];
        last_seq += 1;
        let written = Written {
            contract: input.contract.clone(),
            number,
            type_code: inv.type_code,
            issued: req.date,
            file,
            action: Action::Issued,
        };
        plans.push(Plan::New { written, path, bytes, row });
    }
    if !refused.is_empty() {
        return Err(Failure::Refused(refused));
    }

    // Now write. Files of numbers already issued first, each on its own.
    let mut done = Vec::new();
    let mut new = Vec::new();
    for plan in plans {
        match plan {
            Plan::Skip(w) => done.push(w),
            Plan::Restore { written, path, bytes } => {
                if let Err(error) = append::write_file(&path, &written.file, &bytes, Existing::Refuse) {
                    return Err(Failure::Io { done, error });
                }
                done.push(written);
            }
            Plan::New { written, path, bytes, row } => new.push((written, path, bytes, row)),
        }
    }
    if !new.is_empty() {
        write_new(req.root, new, &mut done)?;
    }
    done.sort_by(|a, b| a.contract.cmp(&b.contract));
    Ok(done)
}

/// A new invoice to write: what is reported, where, the bytes, the register row (in `HEADER` order).
type NewInvoice = (Written, PathBuf, Vec<u8>, Vec<String>);

/// Writes new invoices: each to a synced temporary file (on a few threads:
/// the syncs wait on the disk, not the processor), then all their register
/// rows in one safe append, then each file renamed into place, and each
/// folder synced once. A failure before the append leaves nothing; one
/// after it leaves register rows whose files the next run writes again.
fn write_new(root: &Path, new: Vec<NewInvoice>, done: &mut Vec<Written>) -> Result<(), Failure> {
    let threads = new.len().clamp(1, 4);
    let chunk = new.len().div_ceil(threads);
    let prepared: Vec<anyhow::Result<append::Prepared>> = std::thread::scope(|s| {
        let handles: Vec<_> = new
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(w, path, bytes, _)| append::prepare(path, &w.file, bytes, Existing::Refuse))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a writer thread panicked")).collect()
    });
    // Dropping the prepared files (on an error) removes them.
    let prepared: Vec<append::Prepared> = match prepared.into_iter().collect::<anyhow::Result<_>>() {
        Ok(p) => p,
        Err(error) => return Err(Failure::Io { done: std::mem::take(done), error }),
    };
    let rows: Vec<Vec<&str>> = new.iter().map(|(_, _, _, row)| row.iter().map(String::as_str).collect()).collect();
    if let Err(error) =
        append::append_rows(&root.join(INVOICES_FILE), INVOICES_FILE, HEADER, HEADER, &rows, &[], Ids::Optional)
    {
        return Err(Failure::Io { done: std::mem::take(done), error });
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut failed = None;
    let mut prepared = prepared.into_iter();
    for (written, ..) in new {
        let Some(p) = prepared.next() else { break };
        match p.commit_unsynced() {
            Ok(dir) => {
                if !dirs.contains(&dir) {
                    dirs.push(dir);
                }
                done.push(written);
            }
            Err(e) => {
                failed = Some(e.context(format!(
                    "{} and the invoices after it are in {INVOICES_FILE} but not in place; run the same command again to write them",
                    written.number
                )));
                break;
            }
        }
    }
    for d in &dirs {
        append::sync_dir(d);
    }
    match failed {
        Some(error) => Err(Failure::Io { done: std::mem::take(done), error }),
        None => Ok(()),
    }
}

/// What `check` verifies of invoicing: the seller's and buyers' values that
/// are present (malformed ones are errors; missing ones matter only when
/// invoicing), each contract's VAT category against its rates, and the
/// register with every invoice file and its digest. Returns the number of
/// register rows read.
pub fn check(root: &Path, loaded: &mut crate::read::Loaded) -> usize {
    use crate::read::parties::{self, Need};
    let mut p = Problems::default();
    parties::seller(loaded.settings().seller.as_ref(), crate::read::SETTINGS_FILE, Need::Present, &mut p);
    for c in &loaded.contracts {
        let file = crate::read::contracts::file(&c.id);
        parties::buyer(c, &file, Need::Present, &mut p);
        parties::check_contract_vat(c, &file, &mut p);
    }
    let rows = invoices::load(root, &mut p);
    invoices::verify(&rows, &mut p);
    invoices::verify_files(root, &rows, &mut p);
    // Temporary files an interrupted run left in the invoice folders.
    let mut dirs: Vec<PathBuf> = vec![root.join(crate::read::INVOICES_DIR)];
    for r in &rows {
        if let Some(d) = file_path(root, &r.file).parent().map(Path::to_path_buf)
            && !dirs.contains(&d)
        {
            dirs.push(d);
        }
    }
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        let mut names: Vec<String> =
            entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        for name in names.into_iter().filter(|n| append::is_temp_name(n)) {
            p.warning(
                &register_name(root, &d.join(&name)),
                None,
                None,
                "left by an interrupted write of an invoice; remove it (`supportctl invoice` writes a missing invoice again)",
            );
        }
    }
    loaded.problems.list.extend(p.list);
    rows.len()
}

/// One contract's invoice input from the closed month's figures, its terms
/// and its parties.
fn input_of(
    cm: &crate::compute::ContractMonth,
    terms: Option<&crate::model::Terms>,
    month: Month,
    currency: &str,
    seller: &crate::model::invoice::Seller,
    party: crate::read::parties::InvoiceParty,
) -> InvoiceInput {
    InvoiceInput {
        contract: cm.contract.clone(),
        customer: cm.customer.clone(),
        month,
        currency: currency.to_string(),
        tier: cm.tier.clone(),
        hours: terms.map(|t| t.hours),
        approved_overage_minutes: cm.approved_overage_minutes,
        rate: cm.rate,
        overage_rate: cm.overage_rate,
        vat_rate: cm.vat_rate,
        fee: cm.fee,
        overage_amount: cm.overage_amount,
        corrections: cm
            .corrections
            .iter()
            .map(|l| crate::compute::invoice::CorrectionInput {
                month: l.month,
                minutes: l.minutes,
                amount: l.amount,
                vat_rate: l.vat_rate,
                reasons: l.reasons.clone(),
            })
            .collect(),
        correction_amount: cm.correction_amount,
        net: cm.net,
        vat: cm.vat,
        gross: cm.gross,
        vat_category: party.vat_category,
        vat_exemption_reason: party.vat_exemption_reason,
        seller: seller.clone(),
        buyer: party.buyer,
    }
}

/// `supportctl invoice --month M [--contract C]… [--date D] [--output DIR]`:
/// the e-invoices of closed month M from its verified closing.
pub fn run(
    ctx: &super::Context,
    month: crate::cli::MonthArg,
    only: &[String],
    date: Option<crate::cli::DayArg>,
    output: Option<&Path>,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> anyhow::Result<super::Outcome> {
    use super::Outcome;
    use super::verify::month_figures;
    use crate::read::closings;
    use std::collections::BTreeMap;
    use std::io::Write;

    let out = &mut crate::render::width::WrapLines::new(out, ctx.out_width());
    let root = ctx.ledger()?;
    let mut seen = None;
    let mut loaded = crate::read::load_want(&root, |s| {
        let today = ctx.today(s);
        let m = month.resolve(Month::of(today));
        let closed = closings::is_closed(&root, m);
        seen = Some((m, today, closed));
        if closed {
            crate::read::Want::verifying(crate::read::Scope::Month(m), &[m])
        } else {
            crate::read::Want::from(crate::read::Scope::Terms)
        }
    });
    let (m, today, closed) = seen.expect("load_want always asks what to read");
    if !closed {
        writeln!(
            err,
            "error: {m} is not closed; invoices are written from a closed month's fixed figures: close it first with `supportctl close --month {m}`; nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }
    // The closing's figures, verified against the files as `report` does.
    let mut p = Problems::default();
    // A closed month that cannot be read gives none (its problems recorded).
    let closed_figures = month_figures(&root, &loaded, m, &mut p).and_then(|(report, cf)| Some((report, cf?)));
    let register = invoices::load(&root, &mut p);
    loaded.problems.list.extend(p.list);
    let errors = super::print_problems(&loaded, err)?;
    let Some((report, cf)) = closed_figures.filter(|_| errors == 0) else {
        writeln!(
            err,
            "error: no invoice for {m}: {} in what it is made from (see `supportctl verify --month {m}` and `supportctl check`); nothing was written",
            super::plural(errors.max(1), "error")
        )?;
        return Ok(Outcome::DataError);
    };
    for id in only {
        if !report.contracts.iter().any(|c| &c.contract == id) {
            let hint = crate::read::suggest::hint(id, report.contracts.iter().map(|c| c.contract.as_str()));
            writeln!(err, "error: --contract: \"{id}\" is not in {m}'s closing{hint}; nothing was written")?;
            return Ok(Outcome::DataError);
        }
    }
    let chosen: Vec<&crate::compute::ContractMonth> =
        report.contracts.iter().filter(|c| only.is_empty() || only.contains(&c.contract)).collect();
    // Seller and buyers, every problem at once; the VAT rates judged are the
    // month's and those of each corrected month.
    let mut selected = Vec::new();
    for cm in &chosen {
        let Some(c) = loaded.contracts.iter().find(|c| c.id == cm.contract) else {
            writeln!(
                err,
                "error: contracts/{}.toml: missing, but {m}'s closing bills it; nothing was written",
                cm.contract
            )?;
            return Ok(Outcome::DataError);
        };
        let mut months = vec![m];
        months.extend(cm.corrections.iter().map(|l| l.month));
        selected.push((c, months));
    }
    let settings = loaded.settings();
    let (seller, parties) = match crate::read::parties::for_invoices(settings, &selected) {
        Ok(found) => found,
        Err(problems) => {
            for e in &problems.list {
                writeln!(err, "{e}")?;
            }
            writeln!(
                err,
                "error: no invoice for {m}: {} in the seller's or buyers' data; nothing was written",
                super::plural(problems.errors().count(), "problem")
            )?;
            return Ok(Outcome::DataError);
        }
    };
    let inputs: Vec<InvoiceInput> = chosen
        .iter()
        .zip(parties)
        .map(|(cm, party)| {
            let terms = cf.closing.contract(&cm.contract).and_then(|cc| cc.terms.as_ref());
            input_of(cm, terms, m, &report.currency, &seller, party)
        })
        .collect();
    let output = output.map_or_else(|| root.join(crate::read::INVOICES_DIR), |o| ctx.cwd.join(o));
    let date = date.map_or(today, |d| d.resolve(today));
    let req = Request { root: &root, output: &output, month: m, date, prefix: &seller.number_prefix };
    let (done, failed) = match write_invoices(&req, &register, &inputs) {
        Ok(done) => (done, None),
        Err(Failure::Refused(lines)) => {
            for l in lines {
                writeln!(err, "error: {l}")?;
            }
            writeln!(err, "error: no invoice for {m}; nothing was written")?;
            return Ok(Outcome::DataError);
        }
        Err(Failure::Io { done, error }) => (done, Some(error)),
    };
    let by_id: BTreeMap<&str, &crate::compute::ContractMonth> =
        chosen.iter().map(|c| (c.contract.as_str(), *c)).collect();
    for w in &done {
        let what = match (w.action, w.type_code) {
            (Action::Unchanged, _) => "already issued",
            (Action::Restored, _) => "written again",
            (Action::Issued, TypeCode::CreditNote) => "credit note",
            (Action::Issued, TypeCode::Invoice) => "invoice",
        };
        let gross = by_id.get(w.contract.as_str()).map(|c| c.gross).unwrap_or_default();
        writeln!(
            out,
            "{} {} {}: {what}, {} gross, issued {}, {}",
            w.number,
            w.contract,
            m,
            crate::render::human::money(gross, settings.locale, &report.currency),
            w.issued,
            w.file
        )?;
    }
    if let Some(e) = failed {
        writeln!(err, "error: {e:#}")?;
        return Ok(Outcome::DataError);
    }
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::invoice::tests::{correction, input};

    fn date(s: &str) -> NaiveDate {
        crate::model::parse_date(s).unwrap()
    }

    struct Ledger {
        dir: tempfile::TempDir,
    }

    impl Ledger {
        fn new() -> Ledger {
            Ledger { dir: tempfile::tempdir().unwrap() }
        }
        fn root(&self) -> &Path {
            self.dir.path()
        }
        fn register(&self) -> Vec<RegisterEntry> {
            let mut p = Problems::default();
            let rows = invoices::load(self.root(), &mut p);
            invoices::verify(&rows, &mut p);
            assert!(p.list.is_empty(), "{:?}", p.list);
            rows
        }
        /// `check`'s view: every file there with its digest.
        fn files_ok(&self) {
            let mut p = Problems::default();
            invoices::verify_files(self.root(), &self.register(), &mut p);
            assert!(p.list.is_empty(), "{:?}", p.list);
        }
        fn run(&self, date_: &str, inputs: &[InvoiceInput]) -> Result<Vec<Written>, Failure> {
            let out = self.root().join("invoices");
            let req = Request {
                root: self.root(),
                output: &out,
                month: "2026-11".parse().unwrap(),
                date: date(date_),
                prefix: "RE-",
            };
            write_invoices(&req, &self.register(), inputs)
        }
        fn tree(&self) -> Vec<(String, Vec<u8>)> {
            let mut out = Vec::new();
            for rel in ["invoices.csv", "invoices"] {
                let p = self.root().join(rel);
                if p.is_file() {
                    out.push((rel.to_string(), std::fs::read(&p).unwrap()));
                } else if p.is_dir() {
                    for e in std::fs::read_dir(&p).unwrap() {
                        let e = e.unwrap();
                        out.push((
                            format!("{rel}/{}", e.file_name().to_string_lossy()),
                            std::fs::read(e.path()).unwrap(),
                        ));
                    }
                }
            }
            out.sort();
            out
        }
    }

    fn contract(id: &str, inp: InvoiceInput) -> InvoiceInput {
        InvoiceInput { contract: id.into(), ..inp }
    }

    fn refused(r: Result<Vec<Written>, Failure>) -> Vec<String> {
        match r {
            Err(Failure::Refused(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn numbers_are_issued_in_contract_order_then_never_again() {
        let l = Ledger::new();
        let inputs = [
            contract("beta", input(Some(("16h", 16, "100.00", "19")), 0, vec![])),
            contract("acme", input(Some(("20h", 20, "100.00", "19")), 120, vec![])),
        ];
        let done = l.run("2026-12-01", &inputs).unwrap();
        let got: Vec<(&str, &str, &str, Action)> =
            done.iter().map(|w| (w.contract.as_str(), w.number.as_str(), w.file.as_str(), w.action)).collect();
        assert_eq!(
            got,
            [
                ("acme", "RE-2026-0001", "invoices/RE-2026-0001.xml", Action::Issued),
                ("beta", "RE-2026-0002", "invoices/RE-2026-0002.xml", Action::Issued),
            ]
        );
        l.files_ok();
        let rows = l.register();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].net.to_string(), rows[0].gross.to_string()), ("2200.00".into(), "2618.00".into()));
        let text = std::fs::read_to_string(l.root().join("invoices.csv")).unwrap();
        assert!(text.starts_with("number,issued,contract,month,type,net,vat,gross,file,sha256,id\nRE-2026-0001,2026-12-01,acme,2026-11,380,2200.00,418.00,2618.00,invoices/RE-2026-0001.xml,"), "{text}");
        // Again: nothing new, nothing changed (another date does not matter).
        let before = l.tree();
        let again = l.run("2026-12-05", &inputs).unwrap();
        assert!(again.iter().all(|w| w.action == Action::Unchanged));
        assert_eq!(l.tree(), before);
        // A missing file comes back byte for byte, with the register's date.
        std::fs::remove_file(l.root().join("invoices/RE-2026-0002.xml")).unwrap();
        let done = l.run("2026-12-09", &inputs).unwrap();
        assert_eq!(done[1].action, Action::Restored);
        assert_eq!(done[1].issued, date("2026-12-01"));
        assert_eq!(l.tree(), before);
        l.files_ok();
        // A changed file is reported, nothing is written.
        let p = l.root().join("invoices/RE-2026-0001.xml");
        std::fs::write(&p, std::fs::read_to_string(&p).unwrap().replace("2618.00", "2618.01")).unwrap();
        let before = l.tree();
        let msgs = refused(l.run("2026-12-09", &inputs));
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].starts_with("invoices/RE-2026-0001.xml: invoice RE-2026-0001 (acme 2026-11) has SHA-256 "),
            "{msgs:?}"
        );
        assert!(msgs[0].contains("but invoices.csv:2 says"), "{msgs:?}");
        assert_eq!(l.tree(), before);
    }

    #[test]
    fn issue_dates_and_new_numbers_after_earlier_ones() {
        let l = Ledger::new();
        let acme = contract("acme", input(Some(("20h", 20, "100.00", "19")), 0, vec![]));
        let msgs = refused(l.run("2026-11-29", std::slice::from_ref(&acme)));
        assert_eq!(
            msgs,
            ["--date 2026-11-29: before the end of 2026-11 (2026-11-30); a month is invoiced once it is over"]
        );
        assert!(l.tree().is_empty(), "nothing written");
        // The last day of the month is fine.
        l.run("2026-11-30", std::slice::from_ref(&acme)).unwrap();
        let credit = contract("beta", input(None, 0, vec![correction("2026-10", -60, "-100.00", "19")]));
        // Later on, another contract: the next number; a credit note too.
        let done = l.run("2026-12-02", &[acme.clone(), credit.clone()]).unwrap();
        assert_eq!((done[1].number.as_str(), done[1].type_code), ("RE-2026-0002", TypeCode::CreditNote));
        let rows = l.register();
        assert_eq!(
            (rows[1].type_code, rows[1].net.to_string(), rows[1].gross.to_string()),
            (TypeCode::CreditNote, "-100.00".into(), "-119.00".into())
        );
        // A new number may not be issued before the register's last date.
        let gamma = contract("gamma", input(Some(("16h", 16, "100.00", "19")), 0, vec![]));
        let msgs = refused(l.run("2026-12-01", std::slice::from_ref(&gamma)));
        assert_eq!(
            msgs,
            [
                "--date 2026-12-01: before the last issue date in the register, 2026-12-02 (RE-2026-0002, invoices.csv:3); numbers follow their issue dates"
            ]
        );
        // A new year starts at 1 whatever the prefix.
        let out = l.root().join("elsewhere");
        let req = Request {
            root: l.root(),
            output: &out,
            month: "2026-11".parse().unwrap(),
            date: date("2027-01-04"),
            prefix: "INV",
        };
        let done = write_invoices(&req, &l.register(), &[gamma]).unwrap();
        assert_eq!((done[0].number.as_str(), done[0].file.as_str()), ("INV2027-0001", "elsewhere/INV2027-0001.xml"));
    }

    #[test]
    fn an_output_folder_outside_the_ledger_is_named_absolute() {
        let l = Ledger::new();
        let outside = tempfile::tempdir().unwrap();
        let req = Request {
            root: l.root(),
            output: outside.path(),
            month: "2026-11".parse().unwrap(),
            date: date("2026-12-01"),
            prefix: "RE-",
        };
        let acme = contract("acme", input(Some(("20h", 20, "100.00", "19")), 0, vec![]));
        let done = write_invoices(&req, &[], &[acme]).unwrap();
        assert_eq!(done[0].file, outside.path().join("RE-2026-0001.xml").display().to_string());
        assert!(outside.path().join("RE-2026-0001.xml").is_file());
        l.files_ok();
    }

    #[test]
    fn a_damaged_register_numbers_nothing() {
        let l = Ledger::new();
        let acme = contract("acme", input(Some(("20h", 20, "100.00", "19")), 0, vec![]));
        let beta = contract("beta", input(Some(("16h", 16, "100.00", "19")), 0, vec![]));
        l.run("2026-12-01", &[acme.clone(), beta.clone()]).unwrap();
        let mut rows = l.register();
        rows[1].seq = 3;
        rows[1].number = "RE-2026-0003".into();
        let out = l.root().join("invoices");
        let req = Request {
            root: l.root(),
            output: &out,
            month: "2026-11".parse().unwrap(),
            date: date("2026-12-01"),
            prefix: "RE-",
        };
        let msgs = refused(write_invoices(&req, &rows, &[acme]));
        assert_eq!(msgs.last().unwrap(), "invoices.csv has errors; no invoice is numbered from a damaged register");
    }
}
