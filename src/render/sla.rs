//! The SLA report (SPEC §7.1) as JSON, CSV (the ticket rows), a terminal
//! table fitted to the terminal's width (see [`Layout`]) or Markdown.

use std::io::{self, Write};

use comfy_table::{CellAlignment, Table};

use super::Format;
use super::width::{Width, fit_table, left_out_note, table as new_table, wrap};
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

/// The SLA report in `format`; the terminal table is fitted to `width`
/// (the other formats never depend on it).
pub fn sla(format: Format, r: &SlaReport, width: Width, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => super::machine::json(r, out),
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
            w.write_record(TICKET_FIELDS)?;
            for t in &r.tickets {
                w.serialize(t)?;
            }
            w.flush()
        }
        Format::Table => terminal(r, width, out),
        Format::Markdown => markdown(r, out),
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

fn markdown(r: &SlaReport, out: &mut dyn Write) -> io::Result<()> {
    let breaches: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.response_met == Some(false)).collect();
    let escalations: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.escalated).collect();
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
    Ok(())
}

/// What the terminal table of `sla` shows. [`LAYOUTS`] runs from every
/// column (pipes, files, `--wide`) to the fewest; the contract, the tickets
/// received, the breaches, the open ones, the median response and the share
/// resolved in target always show, and every breach and escalation is
/// listed below the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Long titles on two lines (`Median` / `response`).
    pub two_line_titles: bool,
    /// The clock column; else a line below names the contracts on each clock.
    pub clock: bool,
    /// `2 of 3 (66 %)`; else `2 of 3`.
    pub percent: bool,
    pub in_time: bool,
    pub longest: bool,
}

const FULL: Layout = Layout { two_line_titles: false, clock: true, percent: true, in_time: true, longest: true };
const TWO_LINES: Layout = Layout { two_line_titles: true, ..FULL };
const NO_CLOCK: Layout = Layout { clock: false, ..TWO_LINES };
const NO_PERCENT: Layout = Layout { percent: false, ..NO_CLOCK };
const NO_IN_TIME: Layout = Layout { in_time: false, ..NO_PERCENT };
const FEWEST: Layout = Layout { longest: false, ..NO_IN_TIME };

/// From every column to the fewest; the first that fits is printed.
pub const LAYOUTS: [Layout; 6] = [FULL, TWO_LINES, NO_CLOCK, NO_PERCENT, NO_IN_TIME, FEWEST];

impl Layout {
    /// The columns shown, by index into [`HEADER`].
    fn columns(self) -> Vec<usize> {
        let shown = [true, self.clock, true, self.in_time, true, true, true, self.longest, true];
        (0..HEADER.len()).filter(|&i| shown[i]).collect()
    }

    fn title(self, i: usize) -> String {
        match (self.two_line_titles, HEADER[i]) {
            (true, "In time") => "In\ntime".into(),
            (true, "Median response") => "Median\nresponse".into(),
            (true, "Resolved in target") => "Resolved\nin target".into(),
            (_, h) => h.into(),
        }
    }

    /// The names of the columns left out, as the reader knows them.
    fn left_out(self) -> Vec<&'static str> {
        let names = ["contract", "clock", "received", "in time", "breached", "open", "median", "longest response", ""];
        (0..HEADER.len()).filter(|i| !self.columns().contains(i)).map(|i| names[i]).collect()
    }
}

/// The table of `layout`.
fn grid(r: &SlaReport, layout: Layout) -> Table {
    let columns = layout.columns();
    let mut t = new_table();
    t.set_header(columns.iter().map(|&i| layout.title(i)).collect::<Vec<_>>());
    for (row, c) in rows(r).into_iter().zip(&r.contracts) {
        let mut row = row;
        if !layout.percent {
            row[8] = if c.resolution_counted == 0 {
                "–".to_string()
            } else {
                format!("{} of {}", c.resolved_in_target, c.resolution_counted)
            };
        }
        t.add_row(columns.iter().map(|&i| row[i].clone()).collect::<Vec<_>>());
    }
    super::human::keep_figures_whole(&mut t, &[0]);
    for (pos, &i) in columns.iter().enumerate() {
        if i >= 2
            && let Some(col) = t.column_mut(pos)
        {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The first layout of [`LAYOUTS`] whose table fits `width`, with the table.
pub fn fit(r: &SlaReport, width: Width) -> (Layout, Table) {
    fit_table(width, &LAYOUTS, |layout, _| grid(r, layout))
}

/// `Clock: calendar (business: hansa-versicherung).`
fn clock_note(r: &SlaReport) -> String {
    let of =
        |kind: &str| r.contracts.iter().filter(|c| c.clock == kind).map(|c| c.contract.as_str()).collect::<Vec<_>>();
    let (calendar, business) = (of("calendar"), of("business"));
    let (most, most_name, rest, rest_name) = if business.len() > calendar.len() {
        (business, "business", calendar, "calendar")
    } else {
        (calendar, "calendar", business, "business")
    };
    match (most.is_empty(), rest.is_empty()) {
        (_, true) => format!("Clock: {most_name}."),
        _ => format!("Clock: {most_name} ({rest_name}: {}).", rest.join(", ")),
    }
}

/// `text` as an item under a heading: indented by two, wrapped with four.
fn write_item(out: &mut dyn Write, text: &str, width: Width) -> io::Result<()> {
    for line in wrap(text, width.minus(2), 2) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn terminal(r: &SlaReport, width: Width, out: &mut dyn Write) -> io::Result<()> {
    let breaches: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.response_met == Some(false)).collect();
    let escalations: Vec<&TicketStatus> = r.tickets.iter().filter(|t| t.escalated).collect();
    writeln!(out, "SLA report {}", r.month)?;
    if r.contracts.is_empty() {
        return writeln!(out, "no tickets received in {}", r.month);
    }
    let (layout, t) = fit(r, width);
    writeln!(out, "{t}")?;
    if !layout.clock {
        super::width::write_wrapped(out, &clock_note(r), width, 2)?;
    }
    if let Some(note) = left_out_note(&layout.left_out()) {
        super::width::write_wrapped(out, &note, width, 2)?;
    }
    if !breaches.is_empty() {
        writeln!(out, "Breaches:")?;
        for b in breaches {
            write_item(out, &format!("⚠ {}", breach_line(b)), width)?;
        }
    }
    if !escalations.is_empty() {
        writeln!(out, "Escalations:")?;
        for e in escalations {
            write_item(out, &escalation_line(e), width)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::demo_sla;
    use crate::render::width::max_line_width;

    fn text(width: Width) -> String {
        let mut out = Vec::new();
        sla(Format::Table, &demo_sla("2026-11"), width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn layouts_keep_the_guarantee_columns() {
        let mut previous = usize::MAX;
        for l in LAYOUTS {
            assert!(l.columns().len() <= previous, "{l:?}");
            previous = l.columns().len();
            // Contract, received, breached, open, median, resolved in target.
            for always in [0, 2, 4, 5, 6, 8] {
                assert!(l.columns().contains(&always), "{l:?} leaves out {}", HEADER[always]);
            }
        }
    }

    #[test]
    fn without_a_limit_the_full_table() {
        assert_eq!(fit(&demo_sla("2026-11"), Width::Unlimited).0, FULL);
        let out = text(Width::Unlimited);
        assert!(out.contains("│ Contract           ┆ Clock    ┆ Received ┆ In time ┆"), "{out}");
        assert!(!out.contains("--wide"));
    }

    #[test]
    fn at_120_columns_titles_take_two_lines() {
        assert_eq!(fit(&demo_sla("2026-11"), Width::Columns(120)).0, TWO_LINES);
        let out = text(Width::Columns(120));
        assert!(max_line_width(&out) <= 120, "{out}");
        assert!(out.contains("2 of 2 (100 %)") && out.contains("business"), "{out}");
    }

    #[test]
    fn at_80_columns_the_clocks_and_breaches_are_said_below() {
        assert_eq!(fit(&demo_sla("2026-11"), Width::Columns(80)).0, FEWEST);
        let out = text(Width::Columns(80));
        assert!(max_line_width(&out) <= 80, "{out}");
        let row = out.lines().find(|l| l.contains("alpen-kliniken")).unwrap();
        for figure in ["2", "1", "52:30", "0 of 1"] {
            assert!(row.contains(figure), "{figure} in {row}");
        }
        assert!(out.contains("Clock: calendar (business: hansa-versicherung).\n"), "{out}");
        assert!(out.contains("--wide adds clock, in time and longest response.\n"), "{out}");
        // The breach, wrapped under its marker.
        assert!(out.contains(
            "  ⚠ SD-1252 (alpen-kliniken): received 2026-11-07T10:00:00+01:00, answered after\n    52:30 (deadline 2026-11-09T10:00:00+01:00)\n"
        ), "{out}");
        assert!(out.contains("  SD-1245 (nordwind-energie): estimate 12:00, 7:45 logged\n"), "{out}");
    }
}
