//! `supportctl init [DIR]`: create a ledger; never overwrite a file.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;

use anyhow::{Context as _, Result};

use super::{Context, Outcome};
use crate::read::settings::PRICE_LIST_TOML;
use crate::read::{APPROVALS_FILE, CONTRACTS_DIR, SETTINGS_FILE, TIMELOG_DIR, approvals, tickets};
use crate::render::width::WrapLines;

/// The contract template, embedded from `contracts/contract.toml`.
pub const CONTRACT_TEMPLATE: &str = include_str!("../../contracts/contract.toml");

const SETTINGS_HEAD: &str = r#"# supportctl ledger settings. This file marks the ledger's top folder.
# Every key is optional; the values below are the defaults.
currency = "EUR"          # ISO 4217 code, shown in human output
vat_rate = "19"           # percent, for contracts that do not set their own
min_monthly_fee = "1600"  # `supportctl check` warns about contracts below it
rounding = "1m"           # billing increment per entry ("15m": each rounded up)
timezone = "Europe/Berlin" # for today, the current month and ticket times
locale = "en"             # "en" or "de": number format of human output only

# Tickets: the guaranteed first response and the resolution target (a
# contract may set its own). Remove the # to change one.
# response_hours = 48            # first response guaranteed within this
# resolution_target_hours = 48   # resolution aimed for (not guaranteed)
# sla_clock = "calendar"         # or "business": only business hours count
# business_hours = "09:00-17:00" # for the business clock
# workdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]
# holidays = "DE"                # public holidays; "DE-BY" adds Bavaria's; "none"
# holidays_extra = ["2026-12-24", "2026-12-31"]

"#;

const GITATTRIBUTES: &str = "# Appends on two machines merge without conflicts; `supportctl check` finds\n# what a union merge gets wrong (duplicate ids, repeated headers).\ntimelog/*.csv text eol=lf merge=union\napprovals.csv text eol=lf merge=union\ntickets.csv text eol=lf merge=union\ncorrections.csv text eol=lf merge=union\ninvoices.csv text eol=lf merge=union\n";

/// Writes `content` to `path` unless it exists; says which it did.
fn create(root: &Path, rel: &str, content: &str, err: &mut dyn Write) -> Result<bool> {
    let path = root.join(rel);
    match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut f) => {
            f.write_all(content.as_bytes())
                .and_then(|()| f.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(true)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            writeln!(err, "kept existing {rel}")?;
            Ok(false)
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

pub fn run(ctx: &Context, dir: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    // Lines of prose, wrapped to the terminal.
    let out = &mut WrapLines::new(out, ctx.out_width());
    let root = dir.map(Path::to_path_buf).or_else(|| ctx.ledger_flag.clone()).unwrap_or_else(|| ctx.cwd.clone());
    for d in [root.clone(), root.join(CONTRACTS_DIR), root.join(TIMELOG_DIR)] {
        fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    let settings = format!("{SETTINGS_HEAD}{PRICE_LIST_TOML}");
    let approvals_header = format!("{}\n", approvals::HEADER.join(","));
    let tickets_header = format!("{}\n", tickets::HEADER.join(","));
    let mut created = 0;
    for (rel, content) in [
        (SETTINGS_FILE, settings.as_str()),
        ("contracts/example.toml", CONTRACT_TEMPLATE),
        (APPROVALS_FILE, approvals_header.as_str()),
        (".gitattributes", GITATTRIBUTES),
        (tickets::FILE, tickets_header.as_str()),
    ] {
        created += usize::from(create(&root, rel, content, err)?);
    }
    writeln!(
        out,
        "ledger ready in {} ({created} files created); next: edit contracts/example.toml, then `supportctl check`",
        root.display()
    )?;
    Ok(Outcome::Ok)
}
