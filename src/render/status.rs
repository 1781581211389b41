//! `status`: one line per contract with a usage bar, most urgent first,
//! shortened to fit the terminal (see [`Layout`]).

use std::io::{self, Write};

use super::width::{Width, display_width};
use crate::compute::{ContractMonth, MonthReport};
use crate::model::amount::hm;

const BAR: usize = 10;

/// How urgent a contract is: unapproved overage first, then by share used.
fn urgency(c: &ContractMonth) -> (u64, u64) {
    let share = (c.used_minutes * 1000).checked_div(c.quota_minutes).unwrap_or(u64::MAX);
    (c.unsettled_overage_minutes(), share)
}

/// `████████░░ 78 %`.
pub fn bar(used: u64, quota: u64) -> String {
    format!("{} {}", blocks(used, quota), percent(used, quota))
}

/// `████████░░`.
fn blocks(used: u64, quota: u64) -> String {
    let filled = (used * BAR as u64 + quota / 2).checked_div(quota).map_or(BAR, |f| (f as usize).min(BAR));
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR - filled))
}

/// ` 78 %`.
fn percent(used: u64, quota: u64) -> String {
    let pct = (used * 100).checked_div(quota).unwrap_or(100);
    format!("{pct:>3} %")
}

/// How much a `status` line says, from the most to the least. All lines
/// use the same layout: the first in [`LAYOUTS`] with which every line fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `1:40 over: 0:00 approved, 1:40 unapproved ⚠`, `9:50 left (forfeited at month end)`.
    Full,
    /// `1:40 over, 1:40 unapproved ⚠`, `1:15 over, approved`, `9:50 left`.
    Short,
    /// `⚠ 1:40 unapproved` (the overage is used minus quota).
    Shorter,
    /// As `Shorter`, without the bar (the percentage stays).
    NoBar,
}

/// From the most to the least.
pub const LAYOUTS: [Layout; 4] = [Layout::Full, Layout::Short, Layout::Shorter, Layout::NoBar];

/// What follows the figures on a contract's line.
fn detail(c: &ContractMonth, layout: Layout) -> String {
    let (over, approved, unapproved) =
        (hm(c.overage_minutes), hm(c.approved_overage_minutes), hm(c.unsettled_overage_minutes()));
    let left = hm(c.forfeited_minutes);
    match layout {
        Layout::Full if c.overage_minutes > 0 => {
            let mut s = format!("{over} over: {approved} approved");
            if c.unsettled_overage_minutes() > 0 {
                s.push_str(&format!(", {unapproved} unapproved ⚠"));
            }
            s
        }
        Layout::Full => format!("{left} left (forfeited at month end)"),
        _ if c.overage_minutes == 0 => format!("{left} left"),
        _ if c.unsettled_overage_minutes() == 0 => format!("{over} over, approved"),
        Layout::Short => format!("{over} over, {unapproved} unapproved ⚠"),
        Layout::Shorter | Layout::NoBar => format!("⚠ {unapproved} unapproved"),
    }
}

/// The lines of `status`, without colour, in the order printed, with the
/// layout used.
pub fn lines(r: &MonthReport, color: bool, width: Width) -> (Layout, Vec<String>) {
    let mut rows: Vec<&ContractMonth> = r.contracts.iter().collect();
    rows.sort_by(|a, b| urgency(b).cmp(&urgency(a)).then_with(|| a.contract.cmp(&b.contract)));
    let id_width = rows.iter().map(|c| display_width(&c.contract)).max().unwrap_or(0);
    let render = |layout: Layout| -> Vec<String> {
        let mut lines = vec![format!("Status {}", r.month)];
        for c in &rows {
            lines.push(line(c, layout, id_width, color));
        }
        lines
    };
    for layout in LAYOUTS {
        let lines = render(layout);
        if width == Width::Unlimited || lines.iter().all(|l| width.fits(l)) {
            return (layout, lines);
        }
    }
    (Layout::NoBar, render(Layout::NoBar))
}

fn line(c: &ContractMonth, layout: Layout, id_width: usize, color: bool) -> String {
    let (paint, reset) = match (color, c.unsettled_overage_minutes() > 0, c.used_minutes * 100 >= c.quota_minutes * 80)
    {
        (false, _, _) => ("", ""),
        (true, true, _) => ("\x1b[31m", "\x1b[0m"),
        (true, false, true) => ("\x1b[33m", "\x1b[0m"),
        (true, false, false) => ("\x1b[32m", "\x1b[0m"),
    };
    let gauge = match layout {
        Layout::NoBar => percent(c.used_minutes, c.quota_minutes),
        _ => bar(c.used_minutes, c.quota_minutes),
    };
    let pad = id_width.saturating_sub(display_width(&c.contract));
    let figures = format!("{:>7} / {:<6}", hm(c.used_minutes), hm(c.quota_minutes));
    let figures = if layout == Layout::Full { figures } else { figures.trim_end().to_string() };
    format!("{}{:pad$}  {paint}{gauge}{reset}  {figures}  {}", c.contract, "", detail(c, layout))
}

/// `status` fitted to `width`.
pub fn status(r: &MonthReport, color: bool, width: Width, out: &mut dyn Write) -> io::Result<()> {
    for l in lines(r, color, width).1 {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::demo_month;

    #[test]
    fn bars() {
        assert_eq!(bar(0, 960), "░░░░░░░░░░   0 %");
        assert_eq!(bar(749, 960), "████████░░  78 %");
        assert_eq!(bar(960, 960), "██████████ 100 %");
        assert_eq!(bar(1200, 960), "██████████ 125 %");
    }

    #[test]
    fn full_width_says_everything() {
        let (layout, lines) = lines(&demo_month("2026-11"), false, Width::Unlimited);
        assert_eq!(layout, Layout::Full);
        assert_eq!(
            lines[1],
            "brandt-logistik       ██████████ 105 %    31:40 / 30:00   1:40 over: 0:00 approved, 1:40 unapproved ⚠"
        );
        assert_eq!(
            lines[5],
            "mueller-maschinenbau  ░░░░░░░░░░   0 %     0:00 / 16:00   16:00 left (forfeited at month end)"
        );
    }

    #[test]
    fn narrower_terminals_get_shorter_words_never_fewer_figures() {
        let r = demo_month("2026-11");
        let (layout, at120) = lines(&r, true, Width::Columns(120));
        assert_eq!(layout, Layout::Full, "a 120-column terminal has room for every word");
        assert!(at120.iter().all(|l| display_width(l) <= 120));
        let (layout, at80) = lines(&r, true, Width::Columns(80));
        assert_eq!(layout, Layout::Shorter);
        assert!(at80.iter().all(|l| display_width(l) <= 80), "{at80:#?}");
        assert!(at80[1].starts_with("brandt-logistik") && at80[1].ends_with("31:40 / 30:00  ⚠ 1:40 unapproved"));
        let (layout, at100) = lines(&r, false, Width::Columns(100));
        assert_eq!(layout, Layout::Short);
        assert!(at100[1].ends_with("31:40 / 30:00  1:40 over, 1:40 unapproved ⚠"), "{}", at100[1]);
        assert!(at80[2].ends_with("1:15 over, approved"), "{}", at80[2]);
        assert!(at80[5].ends_with("0:00 / 16:00  16:00 left"), "{}", at80[5]);
        let (layout, at70) = lines(&r, false, Width::Columns(70));
        assert_eq!(layout, Layout::NoBar);
        assert!(at70.iter().all(|l| display_width(l) <= 70), "{at70:#?}");
        assert!(at70[1].ends_with("105 %    31:40 / 30:00  ⚠ 1:40 unapproved"), "{}", at70[1]);
    }
}
