//! How the ticket settings of SPEC §7 as written (a [`SlaPatch`], ledger-wide
//! or per contract) combine into a contract's [`SlaTerms`].

use chrono_tz::Tz;

use super::clock::Clock;
use super::holidays::Holidays;
use super::tickets::SlaTerms;
use crate::model::sla::{ClockKind, Region, SlaPatch};

/// The contract's terms: its own keys over the ledger's over the defaults
/// (48 h, 48 h, calendar clock, 09:00–17:00, Mon–Fri, DE).
pub fn resolve(ledger: &SlaPatch, contract: &SlaPatch, tz: Tz) -> SlaTerms {
    let response_hours = contract.response_hours.or(ledger.response_hours).unwrap_or(48);
    let resolution_hours = contract.resolution_target_hours.or(ledger.resolution_target_hours).unwrap_or(48);
    let region = contract.holidays.or(ledger.holidays).unwrap_or(Region::De(None));
    let extra = contract.holidays_extra.clone().or_else(|| ledger.holidays_extra.clone()).unwrap_or_default();
    let hours = contract.business_hours.or(ledger.business_hours).unwrap_or_default();
    SlaTerms {
        response_minutes: i64::try_from(response_hours * 60).unwrap_or(i64::MAX),
        resolution_minutes: i64::try_from(resolution_hours * 60).unwrap_or(i64::MAX),
        clock: Clock {
            kind: contract.clock.or(ledger.clock).unwrap_or(ClockKind::Calendar),
            tz,
            hours,
            workdays: contract.workdays.or(ledger.workdays).unwrap_or([true, true, true, true, true, false, false]),
            holidays: Holidays::new(region, extra),
        },
    }
}

/// A contract's ticket terms within its ledger.
pub fn contract_terms(settings: &crate::model::Settings, contract: &crate::model::Contract) -> SlaTerms {
    resolve(&settings.sla, &contract.sla, settings.timezone)
}
