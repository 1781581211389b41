//! The e-invoice as plain data (EN 16931, SPEC §9): parties, lines, the VAT
//! breakdown and the totals of one invoice or credit note. Built by
//! `compute::invoice`, written as CII XML by `render::cii`; nothing here
//! computes, reads or writes.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Money, Percent};

/// VAT category of a contract (EN 16931 BT-151/BT-118, UNTDID 5305).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VatCategory {
    /// Standard rate (`S`).
    Standard,
    /// Reverse charge (`AE`): the customer, in another EU country, accounts for the VAT.
    ReverseCharge,
    /// Exempt from VAT (`E`).
    Exempt,
}

impl VatCategory {
    pub fn parse(s: &str) -> Option<VatCategory> {
        match s {
            "S" => Some(VatCategory::Standard),
            "AE" => Some(VatCategory::ReverseCharge),
            "E" => Some(VatCategory::Exempt),
            _ => None,
        }
    }

    /// The code written in the invoice and in contracts.
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::ReverseCharge => "AE",
            VatCategory::Exempt => "E",
        }
    }
}

/// The exemption reason text of reverse charge (BT-120).
pub const REVERSE_CHARGE_REASON: &str = "Reverse charge";
/// The exemption reason code of reverse charge (BT-121, VATEX).
pub const REVERSE_CHARGE_CODE: &str = "VATEX-EU-AE";

/// Invoice type code (BT-3, UNTDID 1001).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeCode {
    /// `380`: commercial invoice.
    Invoice,
    /// `381`: credit note.
    CreditNote,
}

impl TypeCode {
    pub fn code(self) -> &'static str {
        match self {
            TypeCode::Invoice => "380",
            TypeCode::CreditNote => "381",
        }
    }
    pub fn parse(s: &str) -> Option<TypeCode> {
        match s {
            "380" => Some(TypeCode::Invoice),
            "381" => Some(TypeCode::CreditNote),
            _ => None,
        }
    }
}

/// A postal address (BG-5, BG-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// The seller (`[seller]` in `supportctl.toml`), validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seller {
    pub name: String,
    pub address: Address,
    /// BT-31.
    pub vat_id: Option<String>,
    /// BT-32 (German Steuernummer), when there is no VAT id or beside it.
    pub tax_number: Option<String>,
    /// The seller's electronic address (BT-34), an e-mail address.
    pub email: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    /// Without spaces, upper case.
    pub iban: String,
    pub bic: Option<String>,
    pub payment_days: u32,
    pub number_prefix: String,
}

/// The buyer (`[buyer]` in a contract), validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buyer {
    pub name: String,
    pub address: Address,
    /// BT-48.
    pub vat_id: Option<String>,
    /// The buyer's electronic address (BT-49), an e-mail address.
    pub email: String,
    /// BT-10: a Leitweg-ID or the customer's order reference; the contract id by default.
    pub reference: String,
}

/// Unit of a line's quantity (UN/ECE Recommendation 20).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// `C62`: one (a package, a correction).
    One,
    /// `HUR`: hours.
    Hour,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::One => "C62",
            Unit::Hour => "HUR",
        }
    }
}

/// One invoice line (BG-25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1, 2, … (BT-126).
    pub id: u32,
    /// BT-153.
    pub name: String,
    /// BT-154, e.g. the reasons of a correction.
    pub description: Option<String>,
    /// BT-129: may be negative (a line that lowers the total).
    pub quantity: Decimal,
    pub unit: Unit,
    /// BT-146: never negative.
    pub price: Money,
    /// BT-131.
    pub amount: Money,
    pub category: VatCategory,
    pub vat_rate: Percent,
}

/// One VAT breakdown (BG-23): per category and rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatBreakdown {
    pub category: VatCategory,
    pub rate: Percent,
    /// BT-116: the sum of the line amounts at this category and rate.
    pub basis: Money,
    /// BT-117: `round2(basis × rate / 100)`, half away from zero.
    pub vat: Money,
    /// BT-120.
    pub exemption_reason: Option<String>,
    /// BT-121.
    pub exemption_code: Option<String>,
}

/// An invoice or credit note, every amount final.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    /// BT-1.
    pub number: String,
    pub type_code: TypeCode,
    /// BT-2.
    pub issue_date: NaiveDate,
    /// BT-9.
    pub due_date: NaiveDate,
    /// BG-14: the month's first and last day.
    pub period: (NaiveDate, NaiveDate),
    /// BT-5.
    pub currency: String,
    /// BT-10.
    pub buyer_reference: String,
    pub seller: Seller,
    pub buyer: Buyer,
    pub lines: Vec<Line>,
    pub breakdown: Vec<VatBreakdown>,
    /// BT-106: sum of the line amounts.
    pub line_total: Money,
    /// BT-109 (no allowances or charges: equal to the line total).
    pub tax_basis: Money,
    /// BT-110.
    pub tax_total: Money,
    /// BT-112.
    pub grand_total: Money,
    /// BT-115 (nothing prepaid: equal to the grand total).
    pub due_payable: Money,
    /// BT-20.
    pub payment_terms: String,
}

/// A value as written in a TOML file, with its 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// The keys of a `[seller]` or `[buyer]` table as written: read, not yet
/// judged (a ledger that never invoices needs no seller; `check` judges the
/// values given, `invoice` also their completeness).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyFields {
    /// Line and column of the table's header (or of its key).
    pub line: usize,
    pub column: usize,
    /// Key and value, in the order written; `payment_days` as its digits.
    pub values: Vec<(String, Located<String>)>,
}

impl PartyFields {
    pub fn get(&self, key: &str) -> Option<&Located<String>> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// What a contract says about invoicing (SPEC §9), as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceTerms {
    pub buyer: Option<PartyFields>,
    pub vat_category: Option<Located<VatCategory>>,
    pub vat_exemption_reason: Option<Located<String>>,
    /// Where the contract names `vat_rate`: the month of the block (its
    /// start, or a change's `from`) and the key's line and column.
    pub vat_rate_keys: Vec<(super::Month, usize, usize)>,
}

/// One row of the invoice register `invoices.csv` (SPEC §9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterEntry {
    /// 1-based line in the file.
    pub line: usize,
    /// `number_prefix` + year + `-` + sequence, e.g. `RE-2026-0001`.
    pub number: String,
    /// The year and sequence of the number.
    pub year: i32,
    pub seq: u32,
    pub issued: NaiveDate,
    pub contract: String,
    pub month: super::Month,
    pub type_code: TypeCode,
    /// With the report's sign: negative for a credit note.
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    /// Relative to the ledger root (with `/`), or absolute.
    pub file: String,
    /// Plain lower-case hex.
    pub sha256: String,
    pub id: Option<u128>,
}

/// `prefix` + year + `-` + sequence of at least four digits.
pub fn format_number(prefix: &str, year: i32, seq: u32) -> String {
    format!("{prefix}{year:04}-{seq:04}")
}

/// The year and sequence of an invoice number `PREFIXYYYY-NNNN`, whatever
/// the prefix (it may itself contain digits and dashes).
pub fn parse_number(number: &str) -> Option<(i32, u32)> {
    let (head, seq) = number.rsplit_once('-')?;
    if seq.len() < 4 || seq.len() > 9 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = head.get(head.len().checked_sub(4)?..)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seq: u32 = seq.parse().ok()?;
    (seq > 0).then_some((year.parse().ok()?, seq))
}
