//! `tickets`: the ticket list as a terminal table, fitted to the terminal's
//! width (see [`Layout`]). The command works out where each ticket stands
//! ([`Response`]); this file only words and lays it out.

use std::io::{self, Write};

use chrono::DateTime;
use chrono_tz::Tz;
use comfy_table::{Cell, Color, Table};

use super::human::keep_figures_whole;
use super::width::{Width, fit_table, left_out_note, table, write_wrapped};
use crate::model::amount::hm;
use crate::sla::tickets::{State, TicketStatus};

/// Where a ticket's first response stands, in minutes of its contract's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// Answered within the guarantee, after this long.
    InTime(u64),
    /// Answered after the deadline, after this long.
    Late(u64),
    /// Not answered, and the deadline passed this long ago.
    Overdue(u64),
    /// Not answered yet; this much time is left.
    Left(u64),
}

/// A ticket and where its first response stands.
#[derive(Clone, Debug)]
pub struct Listed {
    pub status: TicketStatus,
    pub response: Response,
}

/// What the terminal table of `tickets` shows. The ticket, its contract,
/// the response deadline and where the response stands always show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `answered late, after 52:30`; else `late, 52:30`.
    pub long_words: bool,
    pub received: bool,
    pub state: bool,
    pub resolution: bool,
}

const FULL: Layout = Layout { long_words: true, received: true, state: true, resolution: true };
const SHORT_WORDS: Layout = Layout { long_words: false, ..FULL };
const NO_RECEIVED: Layout = Layout { received: false, ..SHORT_WORDS };
const NO_STATE: Layout = Layout { state: false, ..SHORT_WORDS };
const NO_RECEIVED_NO_STATE: Layout = Layout { state: false, ..NO_RECEIVED };

/// From every column to the fewest, for a list of every kind of ticket.
pub const LAYOUTS: [Layout; 5] = [
    FULL,
    SHORT_WORDS,
    NO_RECEIVED,
    Layout { resolution: false, ..NO_RECEIVED },
    Layout { resolution: false, ..NO_RECEIVED_NO_STATE },
];
/// The same for a list of open tickets only: their state says nothing, so
/// it goes first.
pub const OPEN_LAYOUTS: [Layout; 5] =
    [FULL, SHORT_WORDS, NO_STATE, NO_RECEIVED_NO_STATE, Layout { resolution: false, ..NO_RECEIVED_NO_STATE }];

const HEADER: [&str; 7] = ["Ticket", "Contract", "Received", "State", "Response due", "Response", "Resolution"];

impl Layout {
    /// The columns shown, by index into [`HEADER`].
    fn columns(self) -> Vec<usize> {
        let shown = [true, true, self.received, self.state, true, true, self.resolution];
        (0..HEADER.len()).filter(|&i| shown[i]).collect()
    }

    /// The names of the columns left out, as the reader knows them.
    fn left_out(self) -> Vec<&'static str> {
        let names = ["", "", "received", "state", "", "", "resolution"];
        (0..HEADER.len()).filter(|i| !self.columns().contains(i)).map(|i| names[i]).collect()
    }
}

/// `2026-11-27 10:00`, in the ledger's time zone.
pub fn short_time(d: DateTime<Tz>) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

fn response_text(r: Response, long: bool) -> String {
    match (r, long) {
        (Response::InTime(m), true) => format!("answered after {}", hm(m)),
        (Response::InTime(m), false) => format!("answered {}", hm(m)),
        (Response::Late(m), true) => format!("⚠ answered late, after {}", hm(m)),
        (Response::Late(m), false) => format!("⚠ late, {}", hm(m)),
        (Response::Overdue(m), true) => format!("⚠ breached {} ago", hm(m)),
        (Response::Overdue(m), false) => format!("⚠ overdue {}", hm(m)),
        (Response::Left(m), _) => format!("{} left", hm(m)),
    }
}

fn resolution_text(s: &TicketStatus, long: bool) -> String {
    let estimate = |m: u64| if long { format!(", estimate {}", hm(m)) } else { format!(", est. {}", hm(m)) };
    match (s.state, s.resolution_minutes, s.resolution_met) {
        (State::Escalated, _, _) => format!("escalated{}", s.estimate_minutes.map(estimate).unwrap_or_default()),
        (_, Some(m), Some(true)) if long => format!("in target ({})", hm(m.unsigned_abs())),
        (_, Some(m), Some(true)) => format!("in target, {}", hm(m.unsigned_abs())),
        (_, Some(m), _) if long => format!("beyond target ({})", hm(m.unsigned_abs())),
        (_, Some(m), _) => format!("beyond target, {}", hm(m.unsigned_abs())),
        (_, None, Some(false)) => "beyond target".to_string(),
        _ => String::new(),
    }
}

fn state_text(s: State) -> &'static str {
    match s {
        State::Open => "open",
        State::Resolved => "resolved",
        State::Escalated => "escalated",
    }
}

/// The table of `layout`; responses marked ⚠ in red when `color`.
fn grid(list: &[Listed], layout: Layout, color: bool) -> Table {
    let columns = layout.columns();
    let mut t = table();
    if color {
        t.enforce_styling().style_text_only();
    } else {
        t.force_no_tty();
    }
    t.set_header(columns.iter().map(|&i| HEADER[i]).collect::<Vec<_>>());
    for l in list {
        let s = &l.status;
        let response = response_text(l.response, layout.long_words);
        let mut response = Cell::new(&response);
        if color && matches!(l.response, Response::Late(_) | Response::Overdue(_)) {
            response = response.fg(Color::Red);
        }
        let mut cells = vec![
            Cell::new(&s.ticket),
            Cell::new(&s.contract),
            Cell::new(short_time(s.received.0)),
            Cell::new(state_text(s.state)),
            Cell::new(short_time(s.response_deadline.0)),
            response,
            Cell::new(resolution_text(s, layout.long_words)),
        ];
        let mut row = Vec::new();
        for (i, cell) in cells.drain(..).enumerate() {
            if columns.contains(&i) {
                row.push(cell);
            }
        }
        t.add_row(row);
    }
    let resolution = columns.iter().position(|&i| i == 6);
    keep_figures_whole(&mut t, resolution.as_slice());
    t
}

/// The first layout that fits `width`, with its table.
pub fn fit(list: &[Listed], color: bool, width: Width) -> (Layout, Table) {
    let layouts = if list.iter().all(|l| l.status.state == State::Open) { &OPEN_LAYOUTS } else { &LAYOUTS };
    fit_table(width, layouts, |layout, _| grid(list, layout, color))
}

/// `title`, then the table fitted to `width`.
pub fn tickets_in(title: &str, list: &[Listed], color: bool, width: Width, out: &mut dyn Write) -> io::Result<()> {
    let (layout, t) = fit(list, color, width);
    writeln!(out, "{title}")?;
    writeln!(out, "{t}")?;
    if let Some(note) = left_out_note(&layout.left_out()) {
        write_wrapped(out, &note, width, 2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::demo_tickets;
    use crate::render::width::max_line_width;

    fn text(list: &[Listed], color: bool, width: Width) -> String {
        let mut out = Vec::new();
        tickets_in("Tickets", list, color, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn layouts_keep_ticket_contract_deadline_and_response() {
        for l in LAYOUTS.iter().chain(&OPEN_LAYOUTS) {
            for always in [0, 1, 4, 5] {
                assert!(l.columns().contains(&always), "{l:?} leaves out {}", HEADER[always]);
            }
        }
        assert!(!OPEN_LAYOUTS[2].state && OPEN_LAYOUTS[2].received, "open tickets lose their state first");
    }

    #[test]
    fn a_month_of_tickets_at_120_and_80_columns() {
        let list = demo_tickets(Some("2026-11"));
        assert_eq!(fit(&list, false, Width::Unlimited).0, FULL);
        assert_eq!(fit(&list, false, Width::Columns(120)).0, NO_RECEIVED);
        let out = text(&list, false, Width::Columns(120));
        assert!(max_line_width(&out) <= 120, "{out}");
        let late = out.lines().find(|l| l.contains("SD-1252")).unwrap();
        assert!(late.contains("⚠ late, 52:30") && late.contains("beyond target, 78:00"), "{late}");
        assert!(out.contains("escalated, est. 12:00"), "{out}");
        assert!(out.ends_with("--wide adds received.\n"), "{out}");

        let out = text(&list, false, Width::Columns(80));
        assert!(max_line_width(&out) <= 80, "{out}");
        let late = out.lines().find(|l| l.contains("SD-1252")).unwrap();
        assert!(late.contains("resolved") && late.contains("2026-11-09 10:00") && late.contains("⚠ late, 52:30"));
        assert!(out.ends_with("--wide adds received and resolution.\n"), "{out}");
    }

    #[test]
    fn open_tickets_lose_the_state_column_first() {
        let list = demo_tickets(None);
        assert!(list.iter().all(|l| l.status.state == State::Open));
        let (layout, _) = fit(&list, false, Width::Columns(104));
        assert_eq!(layout, NO_STATE);
        let out = text(&list, false, Width::Columns(80));
        assert!(max_line_width(&out) <= 80, "{out}");
        assert!(out.contains("SD-1270") && out.contains("29:30 left") && out.contains("answered 1:10"), "{out}");
    }

    #[test]
    fn colour_takes_no_room() {
        let list = demo_tickets(Some("2026-11"));
        let plain = text(&list, false, Width::Columns(80));
        let coloured = text(&list, true, Width::Columns(80));
        assert!(coloured.contains("\x1b["), "{coloured}");
        assert_eq!(max_line_width(&coloured), max_line_width(&plain));
        assert_eq!(fit(&list, true, Width::Columns(120)).0, fit(&list, false, Width::Columns(120)).0);
    }
}
