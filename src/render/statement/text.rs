//! The words and number formats of a customer statement in English and
//! German (SPEC §10 `locale`): labels, dates (`2026-11-03` / `03.11.2026`),
//! money (`€1,600.00` / `1.600,00 €`), percentages, month names. Formatting
//! only: every figure arrives computed.

use chrono::NaiveDate;

use crate::model::amount::hm;
use crate::model::{Kind, Locale, Money, Month, Percent};
use crate::sla::tickets::State;

/// Formats of one statement: its locale and currency.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    pub locale: Locale,
    pub currency: &'a str,
    pub l: &'static Labels,
}

impl<'a> Text<'a> {
    pub fn new(locale: Locale, currency: &'a str) -> Text<'a> {
        let l = match locale {
            Locale::En => &EN,
            Locale::De => &DE,
        };
        Text { locale, currency, l }
    }

    /// `1,600.00` (en) or `1.600,00` (de), with a leading `-` when negative.
    pub fn number(&self, m: Money) -> String {
        crate::render::human::amount(m, self.locale)
    }

    /// Money with the currency: the euro as `€` (`€1,600.00` in English,
    /// `1.600,00 €` in German, each language's custom), other currencies by
    /// their code after the amount (`1,600.00 CHF`).
    pub fn money(&self, m: Money) -> String {
        let n = self.number(m);
        match (self.currency, self.locale) {
            ("EUR", Locale::En) => match n.strip_prefix('-') {
                Some(abs) => format!("-€{abs}"),
                None => format!("€{n}"),
            },
            ("EUR", Locale::De) => format!("{n} €"),
            (code, _) => format!("{n} {code}"),
        }
    }

    /// A day: `2026-11-03` (en) or `03.11.2026` (de).
    pub fn date(&self, d: NaiveDate) -> String {
        match self.locale {
            Locale::En => d.format("%Y-%m-%d").to_string(),
            Locale::De => d.format("%d.%m.%Y").to_string(),
        }
    }

    /// `November 2026`.
    pub fn month_long(&self, m: Month) -> String {
        format!("{} {}", self.l.months[m.month() as usize - 1], m.year())
    }

    /// `Nov` (the chart's label; the year goes on a line of its own).
    pub fn month_short(&self, m: Month) -> &'static str {
        self.l.months_short[m.month() as usize - 1]
    }

    /// `19%` (en) or `19 %` (de), decimals as the locale writes them.
    pub fn percent(&self, p: Percent) -> String {
        match self.locale {
            Locale::En => format!("{p}%"),
            Locale::De => format!("{} %", p.to_string().replace('.', ",")),
        }
    }

    /// Minutes as `h:mm`, the same in every locale.
    pub fn hm(&self, minutes: u64) -> String {
        hm(minutes)
    }

    /// Signed minutes as `+1:30` / `-0:45` (corrections).
    pub fn hm_signed(&self, minutes: i64) -> String {
        crate::model::amount::hm_signed(minutes)
    }

    pub fn kind(&self, k: Kind) -> &'static str {
        match k {
            Kind::Support => self.l.kind_support,
            Kind::Escalation => self.l.kind_escalation,
            Kind::Nonbillable => self.l.kind_nonbillable,
        }
    }

    /// A channel as the log writes it (`desk`, `email`, `phone`), in words.
    pub fn channel(&self, c: &str) -> String {
        match c {
            "desk" => self.l.channel_desk.to_string(),
            "email" => self.l.channel_email.to_string(),
            "phone" => self.l.channel_phone.to_string(),
            other => other.to_string(),
        }
    }

    pub fn state(&self, s: State) -> &'static str {
        match s {
            State::Open => self.l.state_open,
            State::Resolved => self.l.state_resolved,
            State::Escalated => self.l.state_escalated,
        }
    }

    /// `true`/`false`/unknown as yes/no/–.
    pub fn yes_no(&self, b: Option<bool>) -> &'static str {
        match b {
            Some(true) => self.l.yes,
            Some(false) => self.l.no,
            None => "–",
        }
    }

    pub fn clock(&self, clock: &str) -> &'static str {
        if clock == "business" { self.l.clock_business } else { self.l.clock_calendar }
    }
}

/// Every word a statement prints, in one language.
#[derive(Debug)]
pub struct Labels {
    pub lang: &'static str,
    pub title: &'static str,
    pub seller: &'static str,
    pub customer: &'static str,
    pub contract: &'static str,
    pub month: &'static str,
    pub package: &'static str,
    pub custom_package: &'static str,
    pub hours_a_month: &'static str,
    pub per_hour: &'static str,
    pub overage_rate: &'static str,
    pub vat_rate: &'static str,
    pub increment: &'static str,
    pub not_active: &'static str,
    pub status: &'static str,
    pub closed_on: &'static str,
    pub closed_by: &'static str,
    pub open_month: &'static str,
    pub chart: &'static str,
    pub chart_alt: &'static str,
    pub within_quota: &'static str,
    pub approved_overage: &'static str,
    pub unapproved_overage: &'static str,
    pub quota: &'static str,
    pub entries: &'static str,
    pub no_entries: &'static str,
    pub date: &'static str,
    pub ticket: &'static str,
    pub kind: &'static str,
    pub level: &'static str,
    pub channel: &'static str,
    pub engineer: &'static str,
    pub note: &'static str,
    pub worked: &'static str,
    pub billed: &'static str,
    pub total: &'static str,
    pub billed_note: &'static str,
    pub per_ticket: &'static str,
    pub no_ticket: &'static str,
    pub entry_count: &'static str,
    pub escalations: &'static str,
    pub escalations_note: &'static str,
    pub no_escalations: &'static str,
    pub received: &'static str,
    pub escalated: &'static str,
    pub estimate: &'static str,
    pub state: &'static str,
    pub escalation_time: &'static str,
    pub escalation_total: &'static str,
    pub approvals: &'static str,
    pub no_approvals: &'static str,
    pub agreed_on: &'static str,
    pub time: &'static str,
    pub reference: &'static str,
    pub corrections: &'static str,
    pub no_corrections: &'static str,
    pub corrected_month: &'static str,
    pub amount: &'static str,
    pub reason: &'static str,
    pub sla: &'static str,
    pub no_tickets: &'static str,
    pub clock: &'static str,
    pub tickets_received: &'static str,
    pub responded_in_time: &'static str,
    pub breached: &'static str,
    pub still_open: &'static str,
    pub median_response: &'static str,
    pub longest_response: &'static str,
    pub resolved_in_target: &'static str,
    pub of: &'static str,
    pub first_response: &'static str,
    pub response_time: &'static str,
    pub in_time: &'static str,
    pub usage: &'static str,
    pub used: &'static str,
    pub of_which_escalation: &'static str,
    pub nonbillable: &'static str,
    pub forfeited: &'static str,
    pub overage: &'static str,
    pub overage_approved: &'static str,
    pub overage_unapproved: &'static str,
    pub summary: &'static str,
    pub fee: &'static str,
    pub overage_amount: &'static str,
    pub correction_amount: &'static str,
    pub net: &'static str,
    pub vat: &'static str,
    pub gross: &'static str,
    pub footer: &'static str,
    pub kind_support: &'static str,
    pub kind_escalation: &'static str,
    pub kind_nonbillable: &'static str,
    pub channel_desk: &'static str,
    pub channel_email: &'static str,
    pub channel_phone: &'static str,
    pub state_open: &'static str,
    pub state_resolved: &'static str,
    pub state_escalated: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub clock_calendar: &'static str,
    pub clock_business: &'static str,
    pub months: [&'static str; 12],
    pub months_short: [&'static str; 12],
}

pub static EN: Labels = Labels {
    lang: "en",
    title: "Statement of work",
    seller: "Provider",
    customer: "Customer",
    contract: "Contract",
    month: "Month",
    package: "Package",
    custom_package: "individual terms",
    hours_a_month: "h a month",
    per_hour: "per hour",
    overage_rate: "Overage rate",
    vat_rate: "VAT rate",
    increment: "Billing increment",
    not_active: "not active in this month (corrections only)",
    status: "Status",
    closed_on: "closed on",
    closed_by: "by",
    open_month: "open: the figures may still change until the month is closed",
    chart: "Usage over the last 12 months",
    chart_alt: "Used time per month against the quota",
    within_quota: "within the quota",
    approved_overage: "approved overage",
    unapproved_overage: "overage not approved (not invoiced)",
    quota: "Quota",
    entries: "Work done",
    no_entries: "No work was logged in this month.",
    date: "Date",
    ticket: "Ticket",
    kind: "Kind",
    level: "Level",
    channel: "Channel",
    engineer: "Engineer",
    note: "Note",
    worked: "Worked",
    billed: "Billed",
    total: "Total",
    billed_note: "Billed time is each entry rounded up to the billing increment; nonbillable time is shown but not charged.",
    per_ticket: "Time per ticket",
    no_ticket: "(no ticket)",
    entry_count: "Entries",
    escalations: "Escalations",
    escalations_note: "Requests beyond the scope of the package, escalated to you with an estimate so that they can be ordered separately.",
    no_escalations: "No request was escalated in this month.",
    received: "Received",
    escalated: "Escalated",
    estimate: "Estimate",
    state: "State",
    escalation_time: "Assessment this month",
    escalation_total: "Time spent on escalations this month",
    approvals: "Approved overage",
    no_approvals: "No overage was approved for this month.",
    agreed_on: "Agreed on",
    time: "Time",
    reference: "Reference",
    corrections: "Corrections of closed months",
    no_corrections: "No corrections.",
    corrected_month: "Month corrected",
    amount: "Amount",
    reason: "Reason",
    sla: "Response times",
    no_tickets: "No tickets were received in this month.",
    clock: "Measured in",
    tickets_received: "Tickets received",
    responded_in_time: "First response in time",
    breached: "Response guarantee missed",
    still_open: "Still open",
    median_response: "Median first response",
    longest_response: "Longest first response",
    resolved_in_target: "Resolved within the target",
    of: "of",
    first_response: "First response",
    response_time: "Response time",
    in_time: "In time",
    usage: "Quota and forfeited time",
    used: "Used",
    of_which_escalation: "of which escalation assessment",
    nonbillable: "Nonbillable time (not charged)",
    forfeited: "Forfeited (unused, not carried over)",
    overage: "Overage",
    overage_approved: "approved and invoiced",
    overage_unapproved: "not approved (not invoiced)",
    summary: "Invoice summary",
    fee: "Package fee",
    overage_amount: "Approved overage",
    correction_amount: "Corrections",
    net: "Net",
    vat: "VAT",
    gross: "Total",
    footer: "All amounts in the invoice summary are net plus VAT; times are hours:minutes.",
    kind_support: "support",
    kind_escalation: "escalation",
    kind_nonbillable: "nonbillable",
    channel_desk: "service desk",
    channel_email: "e-mail",
    channel_phone: "phone",
    state_open: "open",
    state_resolved: "resolved",
    state_escalated: "escalated",
    yes: "yes",
    no: "no",
    clock_calendar: "calendar hours",
    clock_business: "business hours",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    months_short: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

pub static DE: Labels = Labels {
    lang: "de",
    title: "Leistungsnachweis",
    seller: "Anbieter",
    customer: "Kunde",
    contract: "Vertrag",
    month: "Monat",
    package: "Paket",
    custom_package: "individuelle Konditionen",
    hours_a_month: "Std. im Monat",
    per_hour: "je Stunde",
    overage_rate: "Stundensatz Mehrarbeit",
    vat_rate: "Umsatzsteuersatz",
    increment: "Abrechnungstakt",
    not_active: "in diesem Monat nicht aktiv (nur Korrekturen)",
    status: "Status",
    closed_on: "abgeschlossen am",
    closed_by: "von",
    open_month: "offen: die Werte können sich bis zum Monatsabschluss noch ändern",
    chart: "Verbrauch der letzten 12 Monate",
    chart_alt: "Verbrauchte Zeit je Monat im Vergleich zum Kontingent",
    within_quota: "im Kontingent",
    approved_overage: "genehmigte Mehrarbeit",
    unapproved_overage: "nicht genehmigte Mehrarbeit (nicht berechnet)",
    quota: "Kontingent",
    entries: "Erbrachte Leistungen",
    no_entries: "In diesem Monat wurde keine Arbeit erfasst.",
    date: "Datum",
    ticket: "Ticket",
    kind: "Art",
    level: "Level",
    channel: "Kanal",
    engineer: "Bearbeiter",
    note: "Notiz",
    worked: "Gearbeitet",
    billed: "Berechnet",
    total: "Summe",
    billed_note: "Berechnet wird jeder Eintrag aufgerundet auf den Abrechnungstakt; nicht berechnete Zeit wird gezeigt, aber nicht berechnet.",
    per_ticket: "Zeit je Ticket",
    no_ticket: "(ohne Ticket)",
    entry_count: "Einträge",
    escalations: "Eskalationen",
    escalations_note: "Anfragen über den Paketumfang hinaus, an Sie eskaliert und geschätzt, damit sie gesondert beauftragt werden können.",
    no_escalations: "In diesem Monat wurde keine Anfrage eskaliert.",
    received: "Eingang",
    escalated: "Eskaliert",
    estimate: "Schätzung",
    state: "Stand",
    escalation_time: "Bewertung in diesem Monat",
    escalation_total: "Zeit für Eskalationen in diesem Monat",
    approvals: "Genehmigte Mehrarbeit",
    no_approvals: "Für diesen Monat wurde keine Mehrarbeit genehmigt.",
    agreed_on: "Vereinbart am",
    time: "Zeit",
    reference: "Referenz",
    corrections: "Korrekturen abgeschlossener Monate",
    no_corrections: "Keine Korrekturen.",
    corrected_month: "Korrigierter Monat",
    amount: "Betrag",
    reason: "Grund",
    sla: "Reaktionszeiten",
    no_tickets: "In diesem Monat gingen keine Tickets ein.",
    clock: "Gemessen in",
    tickets_received: "Eingegangene Tickets",
    responded_in_time: "Erste Reaktion rechtzeitig",
    breached: "Reaktionszeit überschritten",
    still_open: "Noch offen",
    median_response: "Median der ersten Reaktion",
    longest_response: "Längste erste Reaktion",
    resolved_in_target: "Im Zielzeitraum gelöst",
    of: "von",
    first_response: "Erste Reaktion",
    response_time: "Reaktionszeit",
    in_time: "Rechtzeitig",
    usage: "Kontingent und verfallene Zeit",
    used: "Verbraucht",
    of_which_escalation: "davon Bewertung von Eskalationen",
    nonbillable: "Nicht berechnete Zeit",
    forfeited: "Verfallen (ungenutzt, kein Übertrag)",
    overage: "Mehrarbeit",
    overage_approved: "genehmigt und berechnet",
    overage_unapproved: "nicht genehmigt (nicht berechnet)",
    summary: "Rechnungsübersicht",
    fee: "Paketpreis",
    overage_amount: "Genehmigte Mehrarbeit",
    correction_amount: "Korrekturen",
    net: "Netto",
    vat: "USt.",
    gross: "Gesamt",
    footer: "Alle Beträge der Rechnungsübersicht netto zuzüglich Umsatzsteuer; Zeiten in Stunden:Minuten.",
    kind_support: "Support",
    kind_escalation: "Eskalation",
    kind_nonbillable: "nicht berechnet",
    channel_desk: "Service-Desk",
    channel_email: "E-Mail",
    channel_phone: "Telefon",
    state_open: "offen",
    state_resolved: "gelöst",
    state_escalated: "eskaliert",
    yes: "ja",
    no: "nein",
    clock_calendar: "Kalenderstunden",
    clock_business: "Geschäftszeiten",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_short: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
};

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn money(s: &str) -> Money {
        Money::round(s.parse::<Decimal>().unwrap())
    }

    #[test]
    fn money_in_both_languages() {
        let en = Text::new(Locale::En, "EUR");
        let de = Text::new(Locale::De, "EUR");
        assert_eq!(en.money(money("1600")), "€1,600.00");
        assert_eq!(de.money(money("1600")), "1.600,00 €");
        assert_eq!(en.money(money("-1234567.5")), "-€1,234,567.50");
        assert_eq!(de.money(money("-45")), "-45,00 €");
        assert_eq!(de.money(money("0")), "0,00 €");
        assert_eq!(Text::new(Locale::En, "CHF").money(money("999.99")), "999.99 CHF");
        assert_eq!(Text::new(Locale::De, "CHF").money(money("1000")), "1.000,00 CHF");
    }

    #[test]
    fn dates_months_and_percentages() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        let (en, de) = (Text::new(Locale::En, "EUR"), Text::new(Locale::De, "EUR"));
        assert_eq!(en.date(d), "2026-11-03");
        assert_eq!(de.date(d), "03.11.2026");
        let m = Month::of(d);
        assert_eq!(en.month_long(m), "November 2026");
        assert_eq!(de.month_long(Month::new(2026, 3).unwrap()), "März 2026");
        assert_eq!(de.month_short(Month::new(2026, 10).unwrap()), "Okt");
        let p = Percent::new("19.5".parse().unwrap());
        assert_eq!(en.percent(p), "19.5%");
        assert_eq!(de.percent(p), "19,5 %");
        assert_eq!(en.hm_signed(-45), "-0:45");
        assert_eq!(en.hm_signed(90), "+1:30");
    }
}
