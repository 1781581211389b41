//! `status`: one line per contract with a usage bar, most urgent first.

use std::io::{self, Write};

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
    let pct = (used * 100).checked_div(quota).unwrap_or(100);
    let filled = (used * BAR as u64 + quota / 2).checked_div(quota).map_or(BAR, |f| (f as usize).min(BAR));
    format!("{}{} {pct:>3} %", "█".repeat(filled), "░".repeat(BAR - filled))
}

pub fn status(r: &MonthReport, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<&ContractMonth> = r.contracts.iter().collect();
    rows.sort_by(|a, b| urgency(b).cmp(&urgency(a)).then_with(|| a.contract.cmp(&b.contract)));
    let width = rows.iter().map(|c| c.contract.chars().count()).max().unwrap_or(0);
    writeln!(out, "Status {}", r.month)?;
    for c in rows {
        let (paint, reset) =
            match (color, c.unsettled_overage_minutes() > 0, c.used_minutes * 100 >= c.quota_minutes * 80) {
                (false, _, _) => ("", ""),
                (true, true, _) => ("\x1b[31m", "\x1b[0m"),
                (true, false, true) => ("\x1b[33m", "\x1b[0m"),
                (true, false, false) => ("\x1b[32m", "\x1b[0m"),
            };
        let detail = if c.overage_minutes > 0 {
            let mut s = format!("{} over: {} approved", hm(c.overage_minutes), hm(c.approved_overage_minutes));
            if c.unsettled_overage_minutes() > 0 {
                s.push_str(&format!(", {} unapproved ⚠", hm(c.unsettled_overage_minutes())));
            }
            s
        } else {
            format!("{} left (forfeited at month end)", hm(c.forfeited_minutes))
        };
        writeln!(
            out,
            "{:<width$}  {paint}{}{reset}  {:>7} / {:<6}  {detail}",
            c.contract,
            bar(c.used_minutes, c.quota_minutes),
            hm(c.used_minutes),
            hm(c.quota_minutes),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars() {
        assert_eq!(bar(0, 960), "░░░░░░░░░░   0 %");
        assert_eq!(bar(749, 960), "████████░░  78 %");
        assert_eq!(bar(960, 960), "██████████ 100 %");
        assert_eq!(bar(1200, 960), "██████████ 125 %");
    }
}
