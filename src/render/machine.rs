//! Machine formats of `report` (SPEC §5.1): JSON and CSV with fixed field
//! names, `.` decimals and money as strings with two decimals.

use std::io::{self, Write};

use serde::Serialize;

use crate::compute::{ContractMonth, MonthReport};
use crate::model::{Money, Percent};

/// Any of the reports as pretty JSON with a final line break.
pub fn json<T: serde::Serialize + ?Sized>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// One row per contract, the §5.1 field names as header, no totals row.
pub fn csv(report: &MonthReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    w.write_record(FIELDS)?;
    for c in &report.contracts {
        w.serialize(CsvRow::of(c))?;
    }
    w.flush()
}

/// The columns of `report --format csv`, in order (one per `ContractMonth` field).
pub const FIELDS: &[&str] = &[
    "contract",
    "customer",
    "tier",
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
    "rate",
    "overage_rate",
    "vat_rate",
    "fee",
    "overage_amount",
    "corrections",
    "correction_amount",
    "net",
    "vat",
    "gross",
];

/// A CSV row: a contract's figures with its corrections in one cell,
/// `MONTH:MINUTES:AMOUNT:VAT_RATE` per corrected month, joined by `;`
/// (`2026-09:90:150.00:19;2026-10:-30:-50.00:19`).
#[derive(Serialize)]
struct CsvRow<'a> {
    contract: &'a str,
    customer: &'a str,
    tier: Option<&'a str>,
    quota_minutes: u64,
    used_minutes: u64,
    escalated_minutes: u64,
    nonbillable_minutes: u64,
    forfeited_minutes: u64,
    overage_minutes: u64,
    approved_minutes: u64,
    approved_overage_minutes: u64,
    unapproved_overage_minutes: u64,
    written_off_minutes: u64,
    rate: Option<Money>,
    overage_rate: Option<Money>,
    vat_rate: Option<Percent>,
    fee: Money,
    overage_amount: Money,
    corrections: String,
    correction_amount: Money,
    net: Money,
    vat: Money,
    gross: Money,
}

impl<'a> CsvRow<'a> {
    fn of(c: &'a ContractMonth) -> CsvRow<'a> {
        let corrections: Vec<String> =
            c.corrections.iter().map(|l| format!("{}:{}:{}:{}", l.month, l.minutes, l.amount, l.vat_rate)).collect();
        CsvRow {
            contract: &c.contract,
            customer: &c.customer,
            tier: c.tier.as_deref(),
            quota_minutes: c.quota_minutes,
            used_minutes: c.used_minutes,
            escalated_minutes: c.escalated_minutes,
            nonbillable_minutes: c.nonbillable_minutes,
            forfeited_minutes: c.forfeited_minutes,
            overage_minutes: c.overage_minutes,
            approved_minutes: c.approved_minutes,
            approved_overage_minutes: c.approved_overage_minutes,
            unapproved_overage_minutes: c.unapproved_overage_minutes,
            written_off_minutes: c.written_off_minutes,
            rate: c.rate,
            overage_rate: c.overage_rate,
            vat_rate: c.vat_rate,
            fee: c.fee,
            overage_amount: c.overage_amount,
            corrections: corrections.join(";"),
            correction_amount: c.correction_amount,
            net: c.net,
            vat: c.vat,
            gross: c.gross,
        }
    }
}
