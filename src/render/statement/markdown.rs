//! The statement as GitHub Markdown (SPEC §10): the HTML page's content
//! without the chart (its months as a table instead). Every value in a cell
//! is escaped: `|`, `<`, `>`, `&`, and the characters that would start
//! emphasis, code or a link.

use std::fmt::Write;

use super::html::{package, status};
use super::text::Text;
use crate::compute::statement::Statement;

/// `text` safe in a Markdown table cell or paragraph.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` with its first letter in capitals (a legend's words as a column name).
fn capital(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A table: header cells (`>` before a name right-aligns it) and rows, all
/// escaped here.
fn table(out: &mut String, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let names: Vec<String> = header.iter().map(|h| escape(h.trim_start_matches('>'))).collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let rule: Vec<&str> = header.iter().map(|h| if h.starts_with('>') { "---:" } else { "---" }).collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

pub fn markdown(s: &Statement) -> String {
    let t = Text::new(s.locale, &s.currency);
    let l = t.l;
    let f = &s.figures;
    let mut out = String::with_capacity(4096 + 160 * s.entries.len());
    let o = &mut out;

    let _ = writeln!(o, "# {} {}\n", escape(l.title), escape(&t.month_long(s.month)));
    let mut facts: Vec<Vec<String>> = Vec::new();
    if let Some(seller) = &s.seller {
        facts.push(vec![l.seller.into(), seller.clone()]);
    }
    facts.push(vec![l.customer.into(), s.customer.clone()]);
    facts.push(vec![l.contract.into(), s.contract.clone()]);
    facts.push(vec![l.month.into(), t.month_long(s.month)]);
    facts.push(vec![l.package.into(), package(s, &t)]);
    if let Some(terms) = &s.terms {
        facts.push(vec![l.overage_rate.into(), format!("{} {}", t.money(terms.overage_rate), l.per_hour)]);
        facts.push(vec![l.vat_rate.into(), t.percent(terms.vat_rate)]);
        facts.push(vec![l.increment.into(), format!("{} min", terms.rounding)]);
    }
    facts.push(vec![l.status.into(), status(s, &t)]);
    table(o, &["", ""], facts);

    let _ = writeln!(o, "## {}\n", escape(l.chart));
    let header = [
        l.month.to_string(),
        format!(">{}", l.quota),
        format!(">{}", l.used),
        format!(">{}", capital(l.approved_overage)),
        format!(">{}", capital(l.unapproved_overage)),
    ];
    let rows = s.chart_months.iter().map(|m| {
        vec![
            t.month_long(m.month),
            m.quota.map_or_else(|| "–".to_string(), |q| t.hm(q)),
            t.hm(m.used),
            t.hm(m.approved_overage),
            t.hm(m.unapproved_overage),
        ]
    });
    table(o, &header.each_ref().map(String::as_str), rows);

    let _ = writeln!(o, "## {}\n", escape(l.entries));
    if s.entries.is_empty() {
        let _ = writeln!(o, "{}\n", escape(l.no_entries));
    } else {
        let header = [
            l.date,
            l.ticket,
            l.kind,
            l.level,
            l.channel,
            l.engineer,
            l.note,
            &format!(">{}", l.worked),
            &format!(">{}", l.billed),
        ];
        let rows = s.entries.iter().map(|e| {
            vec![
                t.date(e.entry.date),
                e.entry.ticket.clone(),
                t.kind(e.entry.kind).to_string(),
                e.entry.level.clone(),
                t.channel(&e.entry.channel),
                e.entry.engineer.clone(),
                e.entry.note.clone(),
                t.hm(e.entry.minutes),
                t.hm(e.billed),
            ]
        });
        let total = vec![
            l.total.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            t.hm(s.worked_minutes),
            t.hm(s.billed_minutes),
        ];
        table(o, &header, rows.chain([total]));
        let _ = writeln!(o, "{}\n", escape(l.billed_note));
    }

    if !s.tickets.is_empty() {
        let _ = writeln!(o, "## {}\n", escape(l.per_ticket));
        let rows = s.tickets.iter().map(|k| {
            vec![
                k.ticket.clone().unwrap_or_else(|| l.no_ticket.to_string()),
                k.entries.to_string(),
                t.hm(k.worked),
                t.hm(k.billed),
            ]
        });
        let total =
            vec![l.total.to_string(), s.entries.len().to_string(), t.hm(s.worked_minutes), t.hm(s.billed_minutes)];
        let header = [l.ticket, &format!(">{}", l.entry_count), &format!(">{}", l.worked), &format!(">{}", l.billed)];
        table(o, &header, rows.chain([total]));
    }

    let _ = writeln!(o, "## {}\n\n{}\n", escape(l.escalations), escape(l.escalations_note));
    if s.escalations.is_empty() {
        let _ = writeln!(o, "{}\n", escape(l.no_escalations));
    } else {
        let header = [
            l.ticket,
            l.received,
            l.escalated,
            &format!(">{}", l.estimate),
            l.state,
            &format!(">{}", l.escalation_time),
        ];
        let rows = s.escalations.iter().map(|e| {
            vec![
                e.ticket.ticket.clone(),
                t.date(e.ticket.received.date_naive()),
                t.date(e.ticket.escalated.date_naive()),
                e.ticket.estimate_minutes.map_or_else(|| "–".to_string(), |m| t.hm(m)),
                t.state(e.ticket.state).to_string(),
                t.hm(e.minutes),
            ]
        });
        table(o, &header, rows);
    }
    let _ = writeln!(o, "{}: **{}**\n", escape(l.escalation_total), t.hm(f.escalated_minutes));

    let _ = writeln!(o, "## {}\n", escape(l.approvals));
    if s.approvals.is_empty() {
        let _ = writeln!(o, "{}\n", escape(l.no_approvals));
    } else {
        let rows =
            s.approvals.iter().map(|a| vec![t.date(a.date), t.hm(a.minutes), a.reference.clone(), a.note.clone()]);
        table(o, &[l.agreed_on, &format!(">{}", l.time), l.reference, l.note], rows);
    }

    let _ = writeln!(o, "## {}\n", escape(l.corrections));
    if s.corrections.is_empty() {
        let _ = writeln!(o, "{}\n", escape(l.no_corrections));
    } else {
        let rows = s.corrections.iter().map(|c| {
            vec![
                t.month_long(c.month),
                t.hm_signed(c.minutes),
                t.money(c.amount),
                t.percent(c.vat_rate),
                c.reasons.join("; "),
            ]
        });
        let header = [
            l.corrected_month,
            &format!(">{}", l.time),
            &format!(">{}", l.amount),
            &format!(">{}", l.vat_rate),
            l.reason,
        ];
        table(o, &header, rows);
    }

    let _ = writeln!(o, "## {}\n", escape(l.sla));
    match &s.sla {
        None => {
            let _ = writeln!(o, "{}\n", escape(l.no_tickets));
        }
        Some(c) => {
            let opt = |m: Option<i64>| m.map_or_else(|| "–".to_string(), |m| t.hm(m.unsigned_abs()));
            let rows = vec![
                vec![l.tickets_received.to_string(), c.received.to_string()],
                vec![l.responded_in_time.to_string(), c.responded_in_time.to_string()],
                vec![l.breached.to_string(), c.breached.to_string()],
                vec![l.still_open.to_string(), c.open.to_string()],
                vec![l.median_response.to_string(), opt(c.median_response_minutes)],
                vec![l.longest_response.to_string(), opt(c.max_response_minutes)],
                vec![
                    l.resolved_in_target.to_string(),
                    format!("{} {} {}", c.resolved_in_target, l.of, c.resolution_counted),
                ],
                vec![l.escalated.to_string(), c.escalated.to_string()],
                vec![l.clock.to_string(), t.clock(c.clock).to_string()],
            ];
            table(o, &["", ">"], rows);
            let at = |d: &chrono::DateTime<chrono_tz::Tz>| format!("{} {}", t.date(d.date_naive()), d.format("%H:%M"));
            let rows = s.sla_tickets.iter().map(|k| {
                vec![
                    k.ticket.clone(),
                    at(&k.received.0),
                    k.first_response.as_ref().map_or_else(|| "–".to_string(), |r| at(&r.0)),
                    opt(k.response_minutes),
                    t.yes_no(k.response_met).to_string(),
                    t.state(k.state).to_string(),
                ]
            });
            table(
                o,
                &[l.ticket, l.received, l.first_response, &format!(">{}", l.response_time), l.in_time, l.state],
                rows,
            );
        }
    }

    let _ = writeln!(o, "## {}\n", escape(l.usage));
    let rows = vec![
        vec![l.quota.to_string(), t.hm(f.quota_minutes)],
        vec![l.used.to_string(), t.hm(f.used_minutes)],
        vec![format!("– {}", l.of_which_escalation), t.hm(f.escalated_minutes)],
        vec![l.nonbillable.to_string(), t.hm(f.nonbillable_minutes)],
        vec![l.forfeited.to_string(), t.hm(f.forfeited_minutes)],
        vec![l.overage.to_string(), t.hm(f.overage_minutes)],
        vec![format!("– {}", l.overage_approved), t.hm(f.approved_overage_minutes)],
        vec![format!("– {}", l.overage_unapproved), t.hm(f.unapproved_overage_minutes)],
    ];
    table(o, &["", ">"], rows);

    let m = &s.summary;
    let _ = writeln!(o, "## {}\n", escape(l.summary));
    let rows = vec![
        vec![l.fee.to_string(), t.money(m.fee)],
        vec![
            match f.overage_rate {
                Some(rate) => {
                    format!("{} ({} × {})", l.overage_amount, t.hm(m.approved_overage_minutes), t.money(rate))
                }
                None => l.overage_amount.to_string(),
            },
            t.money(m.overage_amount),
        ],
        vec![l.correction_amount.to_string(), t.money(m.correction_amount)],
        vec![l.net.to_string(), t.money(m.net)],
        vec![format!("{} {}", l.vat, super::vat_rates(s, &t)), t.money(m.vat)],
        vec![l.gross.to_string(), t.money(m.gross)],
    ];
    table(o, &["", ">"], rows);
    let _ = writeln!(o, "{}", escape(l.footer));
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("Müller & Co. KG"), "Müller &amp; Co. KG");
        assert_eq!(escape("a\\|b"), "a\\\\\\|b", "a backslash cannot unescape the pipe");
        assert_eq!(escape("*bold* _x_ `c` [l](u)"), "\\*bold\\* \\_x\\_ \\`c\\` \\[l\\](u)");
        assert_eq!(escape("SD-1243, 2:30"), "SD-1243, 2:30");
    }
}
