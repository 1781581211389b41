//! The statement as one self-contained HTML page (SPEC §10): inline CSS and
//! an inline SVG chart, no script, no font, image or link fetched from
//! anywhere. Written with `maud`, which escapes every value it inserts, so a
//! note `<script>` shows as text. Prints on A4 portrait: the entry table's
//! header repeats on every page, no row is cut across pages, the chart is
//! never split.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::text::Text;
use crate::compute::statement::Statement;
use crate::compute::statement::chart::{Chart, Part};

/// Fills of the three parts of a bar: dark, light and hatched, so that they
/// stay apart in grey print too.
const FILL_WITHIN: &str = "#3b6ea5";
const FILL_APPROVED: &str = "#f2bd55";
/// The hatch pattern's id (defined once in the chart, used by the legend too).
const HATCH: &str = "unapproved-hatch";

/// The page's style sheet: our own text, inserted unescaped.
const CSS: &str = r#"
@page { size: A4 portrait; margin: 16mm 15mm 18mm 15mm; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1b1b1b;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; padding: 10mm 8mm; max-width: 180mm; background: #fff; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 18pt; margin: 0 0 3mm; }
h1 .month { font-weight: normal; color: #444; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.seller { font-weight: bold; font-size: 11pt; margin-bottom: 2mm; }
.hint { color: #555; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 1.1mm 1.6mm; text-align: left; vertical-align: top; border-bottom: 0.4pt solid #c4c4c4; }
thead { display: table-header-group; }
thead th { border-bottom: 1pt solid #333; background: #edf1f6; font-weight: bold; }
tr { break-inside: avoid; page-break-inside: avoid; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
table.facts { width: auto; }
table.facts th { font-weight: normal; color: #555; padding-right: 6mm; background: none; }
table.facts td, table.facts th { border-bottom: none; padding: 0.6mm 1.6mm 0.6mm 0; }
table.entries { font-size: 8.3pt; }
table.entries td.note { overflow-wrap: anywhere; }
tr.total td, tr.total th { font-weight: bold; border-top: 1pt solid #333; border-bottom: none; }
tr.sub td { padding-left: 6mm; color: #444; }
.warn { color: #8f1d14; }
figure.chart { margin: 2mm 0 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg.plot { display: block; max-width: 100%; height: auto; }
svg text { font-size: 10px; fill: #333; }
svg .value { font-size: 9.5px; fill: #111; }
figcaption.legend { font-size: 8.5pt; margin-top: 1mm; }
figcaption.legend span { margin-right: 5mm; white-space: nowrap; }
figcaption.legend svg { vertical-align: -1px; margin-right: 1.2mm; }
section { break-inside: auto; }
footer { margin-top: 8mm; color: #555; font-size: 8.5pt; }
"#;

/// The statement as an HTML page.
pub fn html(s: &Statement) -> String {
    let t = Text::new(s.locale, &s.currency);
    let l = t.l;
    let page = html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (l.title) " – " (s.customer) " – " (t.month_long(s.month)) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (header(s, &t))
                section.usage-chart {
                    h2 { (l.chart) }
                    (chart(&s.chart, &t))
                }
                (entries(s, &t))
                (per_ticket(s, &t))
                (escalations(s, &t))
                (approvals(s, &t))
                (corrections(s, &t))
                (sla(s, &t))
                (usage(s, &t))
                (summary(s, &t))
                footer { p { (l.footer) } }
            }
        }
    };
    page.into_string()
}

/// The package in words: `20h: 20:00 h a month, €100.00 per hour`.
pub fn package(s: &Statement, t: &Text<'_>) -> String {
    let l = t.l;
    match &s.terms {
        None => l.not_active.to_string(),
        Some(terms) => {
            let name = terms.tier.as_deref().unwrap_or(l.custom_package);
            format!("{name}: {} {}, {} {}", t.hm(terms.hours * 60), l.hours_a_month, t.money(terms.rate), l.per_hour)
        }
    }
}

/// Whether the month is closed, in words.
pub fn status(s: &Statement, t: &Text<'_>) -> String {
    match &s.closed {
        Some(c) => format!("{} {} {} {}", t.l.closed_on, t.date(c.at.date_naive()), t.l.closed_by, c.by),
        None => t.l.open_month.to_string(),
    }
}

fn header(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        header {
            @if let Some(seller) = &s.seller {
                p.seller { (seller) }
            }
            h1 { (l.title) " " span.month { (t.month_long(s.month)) } }
            table.facts {
                tbody {
                    @if let Some(seller) = &s.seller {
                        tr { th { (l.seller) } td { (seller) } }
                    }
                    tr { th { (l.customer) } td { (s.customer) } }
                    tr { th { (l.contract) } td { (s.contract) } }
                    tr { th { (l.month) } td { (t.month_long(s.month)) } }
                    tr { th { (l.package) } td { (package(s, t)) } }
                    @if let Some(terms) = &s.terms {
                        tr { th { (l.overage_rate) } td { (t.money(terms.overage_rate)) " " (l.per_hour) } }
                        tr { th { (l.vat_rate) } td { (t.percent(terms.vat_rate)) } }
                        tr { th { (l.increment) } td { (terms.rounding) " min" } }
                    }
                    tr { th { (l.status) } td.status { (status(s, t)) } }
                }
            }
        }
    }
}

fn fill(part: Part) -> String {
    match part {
        Part::WithinQuota => FILL_WITHIN.to_string(),
        Part::ApprovedOverage => FILL_APPROVED.to_string(),
        Part::UnapprovedOverage => format!("url(#{HATCH})"),
    }
}

fn part_class(part: Part) -> &'static str {
    match part {
        Part::WithinQuota => "seg within",
        Part::ApprovedOverage => "seg approved",
        Part::UnapprovedOverage => "seg unapproved",
    }
}

/// A small square of a part's fill, for the legend.
fn swatch(part: Part) -> Markup {
    html! {
        svg width="11" height="11" viewBox="0 0 11 11" aria-hidden="true" {
            rect x="0.5" y="0.5" width="10" height="10" fill=(fill(part)) stroke="#333" stroke-width="0.6" {}
        }
    }
}

fn chart(c: &Chart, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        figure.chart {
            svg.plot width=(c.width) height=(c.height)
                viewBox={ "0 0 " (c.width) " " (c.height) } role="img" aria-label=(l.chart_alt) {
                defs {
                    pattern id=(HATCH) patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                        rect width="6" height="6" fill="#f8dcd8" {}
                        line x1="0" y1="0" x2="0" y2="6" stroke="#a3261c" stroke-width="3.2" {}
                    }
                }
                @for tick in &c.ticks {
                    line.grid x1=(c.left) x2=(c.right) y1=(tick.y) y2=(tick.y) stroke="#d7d7d7" stroke-width="1" {}
                    text.tick x=(c.left - 5) y=(tick.y + 3) text-anchor="end" { (t.hm(tick.minutes)) }
                }
                @for b in &c.bars {
                    g.bar data-month=(b.month) data-used-minutes=(b.used) {
                        @for seg in &b.segments {
                            rect class=(part_class(seg.part)) data-minutes=(seg.minutes) x=(b.x) y=(seg.y)
                                width=(b.width) height=(seg.height) fill=(fill(seg.part)) stroke="#222" stroke-width="0.5" {}
                        }
                        @if let Some(q) = &b.quota {
                            line.quota data-minutes=(q.minutes) x1=(q.x1) x2=(q.x2) y1=(q.y) y2=(q.y)
                                stroke="#111" stroke-width="2" stroke-dasharray="5 3" {}
                        }
                        text.value x=(b.center) y=(b.top - 4) text-anchor="middle" { (t.hm(b.used)) }
                        text.month x=(b.center) y=(c.bottom + 15) text-anchor="middle" { (t.month_short(b.month)) }
                        text.year x=(b.center) y=(c.bottom + 28) text-anchor="middle" { (b.month.year()) }
                    }
                }
                line.axis x1=(c.left) x2=(c.right) y1=(c.bottom) y2=(c.bottom) stroke="#333" stroke-width="1" {}
            }
            figcaption.legend {
                span { (swatch(Part::WithinQuota)) (l.within_quota) }
                span { (swatch(Part::ApprovedOverage)) (l.approved_overage) }
                span { (swatch(Part::UnapprovedOverage)) (l.unapproved_overage) }
                span {
                    svg width="18" height="11" viewBox="0 0 18 11" aria-hidden="true" {
                        line x1="0" x2="18" y1="5.5" y2="5.5" stroke="#111" stroke-width="2" stroke-dasharray="5 3" {}
                    }
                    (l.quota)
                }
            }
        }
    }
}

fn entries(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        section.work {
            h2 { (l.entries) }
            @if s.entries.is_empty() {
                p { (l.no_entries) }
            } @else {
                table.entries {
                    thead {
                        tr {
                            th { (l.date) } th { (l.ticket) } th { (l.kind) } th { (l.level) } th { (l.channel) }
                            th { (l.engineer) } th { (l.note) } th.num { (l.worked) } th.num { (l.billed) }
                        }
                    }
                    tbody {
                        @for e in &s.entries {
                            tr.entry {
                                td.nowrap { (t.date(e.entry.date)) }
                                td.nowrap { (e.entry.ticket) }
                                td { (t.kind(e.entry.kind)) }
                                td { (e.entry.level) }
                                td { (t.channel(&e.entry.channel)) }
                                td { (e.entry.engineer) }
                                td.note { (e.entry.note) }
                                td.num { (t.hm(e.entry.minutes)) }
                                td.num { (t.hm(e.billed)) }
                            }
                        }
                        tr.total {
                            td colspan="7" { (l.total) }
                            td.num { (t.hm(s.worked_minutes)) }
                            td.num { (t.hm(s.billed_minutes)) }
                        }
                    }
                }
                p.hint { (l.billed_note) }
            }
        }
    }
}

fn per_ticket(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        @if !s.tickets.is_empty() {
            section.per-ticket {
                h2 { (l.per_ticket) }
                table.tickets {
                    thead { tr { th { (l.ticket) } th.num { (l.entry_count) } th.num { (l.worked) } th.num { (l.billed) } } }
                    tbody {
                        @for sub in &s.tickets {
                            tr.ticket {
                                td { (sub.ticket.as_deref().unwrap_or(l.no_ticket)) }
                                td.num { (sub.entries) }
                                td.num { (t.hm(sub.worked)) }
                                td.num { (t.hm(sub.billed)) }
                            }
                        }
                        tr.total {
                            td { (l.total) }
                            td.num { (s.entries.len()) }
                            td.num { (t.hm(s.worked_minutes)) }
                            td.num { (t.hm(s.billed_minutes)) }
                        }
                    }
                }
            }
        }
    }
}

fn escalations(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        section.escalations {
            h2 { (l.escalations) }
            p.hint { (l.escalations_note) }
            @if s.escalations.is_empty() {
                p { (l.no_escalations) }
            } @else {
                table {
                    thead {
                        tr {
                            th { (l.ticket) } th { (l.received) } th { (l.escalated) } th.num { (l.estimate) }
                            th { (l.state) } th.num { (l.escalation_time) }
                        }
                    }
                    tbody {
                        @for e in &s.escalations {
                            tr.escalation {
                                td { (e.ticket.ticket) }
                                td.nowrap { (t.date(e.ticket.received.date_naive())) }
                                td.nowrap { (t.date(e.ticket.escalated.date_naive())) }
                                td.num { @if let Some(m) = e.ticket.estimate_minutes { (t.hm(m)) } @else { "–" } }
                                td { (t.state(e.ticket.state)) }
                                td.num { (t.hm(e.minutes)) }
                            }
                        }
                    }
                }
            }
            p { (l.escalation_total) ": " strong { (t.hm(s.figures.escalated_minutes)) } }
        }
    }
}

fn approvals(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        section.approvals {
            h2 { (l.approvals) }
            @if s.approvals.is_empty() {
                p { (l.no_approvals) }
            } @else {
                table {
                    thead { tr { th { (l.agreed_on) } th.num { (l.time) } th { (l.reference) } th { (l.note) } } }
                    tbody {
                        @for a in &s.approvals {
                            tr.approval {
                                td.nowrap { (t.date(a.date)) }
                                td.num { (t.hm(a.minutes)) }
                                td { (a.reference) }
                                td { (a.note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn corrections(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    html! {
        section.corrections {
            h2 { (l.corrections) }
            @if s.corrections.is_empty() {
                p { (l.no_corrections) }
            } @else {
                table {
                    thead {
                        tr {
                            th { (l.corrected_month) } th.num { (l.time) } th.num { (l.amount) } th.num { (l.vat_rate) }
                            th { (l.reason) }
                        }
                    }
                    tbody {
                        @for c in &s.corrections {
                            tr.correction {
                                td.nowrap { (t.month_long(c.month)) }
                                td.num { (t.hm_signed(c.minutes)) }
                                td.num { (t.money(c.amount)) }
                                td.num { (t.percent(c.vat_rate)) }
                                td { (c.reasons.join("; ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn sla(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    let opt = |m: Option<i64>| m.map_or_else(|| "–".to_string(), |m| t.hm(m.unsigned_abs()));
    html! {
        section.sla {
            h2 { (l.sla) }
            @match &s.sla {
                None => p { (l.no_tickets) },
                Some(c) => {
                    table.facts {
                        tbody {
                            tr { th { (l.tickets_received) } td.num data-sla="received" data-value=(c.received) { (c.received) } }
                            tr { th { (l.responded_in_time) } td.num data-sla="responded_in_time" data-value=(c.responded_in_time) { (c.responded_in_time) } }
                            tr { th { (l.breached) } td.num data-sla="breached" data-value=(c.breached) { (c.breached) } }
                            tr { th { (l.still_open) } td.num data-sla="open" data-value=(c.open) { (c.open) } }
                            tr { th { (l.median_response) } td.num data-sla="median_response_minutes" data-value=[c.median_response_minutes] { (opt(c.median_response_minutes)) } }
                            tr { th { (l.longest_response) } td.num data-sla="max_response_minutes" data-value=[c.max_response_minutes] { (opt(c.max_response_minutes)) } }
                            tr { th { (l.resolved_in_target) } td.num data-sla="resolved_in_target" data-value=(c.resolved_in_target) { (c.resolved_in_target) " " (l.of) " " (c.resolution_counted) } }
                            tr { th { (l.escalated) } td.num data-sla="escalated" data-value=(c.escalated) { (c.escalated) } }
                            tr { th { (l.clock) } td { (t.clock(c.clock)) } }
                        }
                    }
                    table.sla-tickets {
                        thead {
                            tr {
                                th { (l.ticket) } th { (l.received) } th { (l.first_response) } th.num { (l.response_time) }
                                th { (l.in_time) } th { (l.state) }
                            }
                        }
                        tbody {
                            @for k in &s.sla_tickets {
                                tr.sla-ticket {
                                    td { (k.ticket) }
                                    td.nowrap { (t.date(k.received.0.date_naive())) " " (k.received.0.format("%H:%M")) }
                                    td.nowrap {
                                        @if let Some(r) = &k.first_response {
                                            (t.date(r.0.date_naive())) " " (r.0.format("%H:%M"))
                                        } @else { "–" }
                                    }
                                    td.num { (opt(k.response_minutes)) }
                                    td class=(if k.response_met == Some(false) { "warn" } else { "" }) { (t.yes_no(k.response_met)) }
                                    td { (t.state(k.state)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn usage(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    let f = &s.figures;
    html! {
        section.quota {
            h2 { (l.usage) }
            table.figures {
                tbody {
                    tr { th { (l.quota) } td.num data-figure="quota_minutes" data-value=(f.quota_minutes) { (t.hm(f.quota_minutes)) } }
                    tr { th { (l.used) } td.num data-figure="used_minutes" data-value=(f.used_minutes) { (t.hm(f.used_minutes)) } }
                    tr.sub { td { (l.of_which_escalation) } td.num data-figure="escalated_minutes" data-value=(f.escalated_minutes) { (t.hm(f.escalated_minutes)) } }
                    tr { th { (l.nonbillable) } td.num data-figure="nonbillable_minutes" data-value=(f.nonbillable_minutes) { (t.hm(f.nonbillable_minutes)) } }
                    tr { th { (l.forfeited) } td.num data-figure="forfeited_minutes" data-value=(f.forfeited_minutes) { (t.hm(f.forfeited_minutes)) } }
                    tr { th { (l.overage) } td.num data-figure="overage_minutes" data-value=(f.overage_minutes) { (t.hm(f.overage_minutes)) } }
                    tr.sub { td { (l.overage_approved) } td.num data-figure="approved_overage_minutes" data-value=(f.approved_overage_minutes) { (t.hm(f.approved_overage_minutes)) } }
                    tr.sub { td class=(if f.unapproved_overage_minutes > 0 { "warn" } else { "" }) { (l.overage_unapproved) }
                             td.num data-figure="unapproved_overage_minutes" data-value=(f.unapproved_overage_minutes) { (t.hm(f.unapproved_overage_minutes)) } }
                }
            }
        }
    }
}

fn summary(s: &Statement, t: &Text<'_>) -> Markup {
    let l = t.l;
    let m = &s.summary;
    html! {
        section.summary {
            h2 { (l.summary) }
            table.figures {
                tbody {
                    tr { th { (l.fee) } td.num data-figure="fee" data-value=(m.fee) { (t.money(m.fee)) } }
                    tr {
                        th {
                            (l.overage_amount)
                            @if let Some(rate) = s.figures.overage_rate {
                                " (" (t.hm(m.approved_overage_minutes)) " × " (t.money(rate)) ")"
                            }
                        }
                        td.num data-figure="overage_amount" data-value=(m.overage_amount) { (t.money(m.overage_amount)) }
                    }
                    tr { th { (l.correction_amount) } td.num data-figure="correction_amount" data-value=(m.correction_amount) { (t.money(m.correction_amount)) } }
                    tr.total { th { (l.net) } td.num data-figure="net" data-value=(m.net) { (t.money(m.net)) } }
                    tr { th { (l.vat) " " (super::vat_rates(s, t)) } td.num data-figure="vat" data-value=(m.vat) { (t.money(m.vat)) } }
                    tr.total { th { (l.gross) } td.num data-figure="gross" data-value=(m.gross) { (t.money(m.gross)) } }
                }
            }
        }
    }
}
