//! The SLA report (SPEC §7.1) as JSON, CSV (the ticket rows), a terminal
//! table or Markdown.

use std::io::{self, Write};

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::Format;
use crate::model::amount::hm;
use crate::sla::tickets::{SlaReport, TicketStatus};
use crate::sla::time::format_at;

/// The columns of `sla --format csv`, one row per ticket.
pub const TICKET_FIELDS: &[&str] = &[
    "ticket",
    "contract",
    "received",
    "response_deadline",
    "first_response",
    "response_minutes",
    "response_met",
    "resolved",
    "resolution_minutes",
    "resolution_met",
    "escalated",
    "estimate_minutes",
    "state",
    "logged_minutes",
];

pub fn sla(format: Format, r: &SlaReport, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, r)?;
            writeln!(out)
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
            w.write_record(TICKET_FIELDS)?;
            for t in &r.tickets {
                w.serialize(t)?;
            }
            w.flush()
        }
        Format::Table => table(r, false, out),
        Format::Markdown => table(r, true, out),
    }
}

fn opt(m: Option<i64>) -> String {
    m.map_or_else(|| "–".to_string(), |m| hm(m.unsigned_abs()))
}

const HEADER: [&str; 9] = [
    "Contract",
    "Clock",
    "Received",
    "In time",
    "Breached",
    "Open",
    "Median response",
    "Longest",
    "Resolved in target",
];

fn rows(r: &SlaReport) -> Vec<[String; 9]> {
    r.contracts
        .iter()
        .map(|c| {
            [
                c.contract.clone(),
                c.clock.to_string(),
                c.received.to_string(),
                c.responded_in_time.to_string(),
                c.breached.to_string(),
                c.open.to_string(),
                opt(c.median_response_minutes),
                opt(c.max_response_minutes),
                share(c.resolved_in_target, c.resolution_counted),
            ]
        })
        .collect()
}

/// `2 of 3 (66 %)`, or `–` when no ticket was judged.
fn share(n: usize, of: usize) -> String {
    (n * 100).checked_div(of).map_or_else(|| "–".to_string(), |pct| format!("{n} of {of} ({pct} %)"))
}

fn breach_line(t: &TicketStatus) -> String {
    match t.response_minutes {
        Some(m) => format!(
            "{} ({}): received {}, answered after {} (deadline {})",
            t.ticket,
            t.contract,
            format_at(t.received.0),
            hm(m.unsigned_abs()),
            format_at(t.response_deadline.0)
        ),
        None => format!(
            "{} ({}): received {}, no response yet (deadline {})",
            t.ticket,
            t.contract,
            format_at(t.received.0),
            format_at(t.response_deadline.0)
        ),
    }
}

fn escalation_line(t: &TicketStatus) -> String {
    let estimate = t.estimate_minutes.map_or_else(|| "no estimate".to_string(), |m| format!("estimate {}", hm(m)));
    format!("{} ({}): {estimate}, {} logged", t.ticket, t.contract, hm(t.logged_minutes))
}

fn table(r: &SlaReport, markdown: bool, out: &mut dyn Write) -> io::Result<()> {
    let breaches: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.response_met == Some(false)).collect();
    let escalations: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.escalated).collect();
    if markdown {
        writeln!(out, "# SLA report {}\n", r.month)?;
        writeln!(out, "| {} |", HEADER.join(" | "))?;
        writeln!(out, "| --- | --- |{}", " ---: |".repeat(HEADER.len() - 2))?;
        for row in rows(r) {
            writeln!(out, "| {} |", row.join(" | "))?;
        }
        for (title, lines) in [
            ("Breaches of the 48-hour guarantee", breaches.iter().map(|t| breach_line(t)).collect::<Vec<_>>()),
            ("Escalations", escalations.iter().map(|t| escalation_line(t)).collect()),
        ] {
            if !lines.is_empty() {
                writeln!(out, "\n## {title}\n")?;
                for l in lines {
                    writeln!(out, "- {l}")?;
                }
            }
        }
        return Ok(());
    }
    writeln!(out, "SLA report {}", r.month)?;
    if r.contracts.is_empty() {
        return writeln!(out, "no tickets received in {}", r.month);
    }
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(HEADER);
    for row in rows(r) {
        t.add_row(row);
    }
    super::human::keep_figures_whole(&mut t, &[0]);
    for i in 2..HEADER.len() {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "{t}")?;
    if !breaches.is_empty() {
        writeln!(out, "Breaches:")?;
        for b in breaches {
            writeln!(out, "  ⚠ {}", breach_line(b))?;
        }
    }
    if !escalations.is_empty() {
        writeln!(out, "Escalations:")?;
        for e in escalations {
            writeln!(out, "  {}", escalation_line(e))?;
        }
    }
    Ok(())
}
