//! Seller and buyer of the e-invoices (SPEC §9): `[seller]` in
//! `supportctl.toml`, `[buyer]`, `vat_category` and `vat_exemption_reason`
//! in contracts.
//!
//! Reading (with the other keys of those files) only records the values and
//! where they stand; judging them is a pure function over what was read, in
//! two strengths ([`Need`]): `check` reports the values that are present but
//! malformed, so that a ledger which never invoices needs no seller, and
//! `invoice` also every field that is missing. Every problem is reported
//! together, each with its file, line, column and key.

use super::countries::{self, IbanError, VatIdError};
use super::problem::Problems;
use super::toml_doc::{Table, TomlDoc};
use crate::model::invoice::{
    Address, Buyer, InvoiceTerms, Located, PartyFields, REVERSE_CHARGE_REASON, Seller, VatCategory,
};
use crate::model::{Contract, Month, Percent};

/// The keys of `[seller]`.
pub const SELLER_KEYS: &[&str] = &[
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "vat_id",
    "tax_number",
    "email",
    "contact_name",
    "contact_phone",
    "contact_email",
    "iban",
    "bic",
    "payment_days",
    "number_prefix",
];

/// The keys of `[buyer]`.
pub const BUYER_KEYS: &[&str] = &["name", "street", "postcode", "city", "country", "vat_id", "email", "reference"];

/// The keys this module adds to a contract.
pub const CONTRACT_KEYS: &[&str] = &["buyer", "vat_category", "vat_exemption_reason"];

/// Days to pay when `payment_days` is not given.
pub const DEFAULT_PAYMENT_DAYS: u32 = 14;
/// The most `payment_days` may be.
pub const MAX_PAYMENT_DAYS: u32 = 365;
/// Invoice number prefix when `number_prefix` is not given.
pub const DEFAULT_NUMBER_PREFIX: &str = "RE-";
/// The longest text accepted in a seller or buyer field.
const MAX_TEXT: usize = 200;

/// Reads table `key` of `t` (`[seller]`, `[buyer]`): `None` when absent.
/// Unknown keys and values that are not strings are recorded at once.
pub fn read_table(doc: &mut TomlDoc<'_>, t: &Table<'_>, key: &str, known: &[&str]) -> Option<PartyFields> {
    let (k, v) = t.iter().find(|(k, _)| k.get_ref() == key)?;
    let (line, column) = doc.position(k.span().start);
    let toml::de::DeValue::Table(tt) = v.get_ref() else {
        doc.error(v.span(), format!("{key}: expected a [{key}] table"));
        return None;
    };
    doc.check_keys(tt, known, &format!(" in [{key}]"));
    let mut values = Vec::new();
    // In the order written, so that problems come in line order.
    let mut entries: Vec<_> = tt.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (k, v) in entries {
        let name = k.get_ref().to_string();
        if !known.contains(&name.as_str()) {
            continue;
        }
        let (vl, vc) = doc.position(v.span().start);
        let text = match (name.as_str(), v.get_ref()) {
            ("payment_days", toml::de::DeValue::Integer(i)) if i.radix() == 10 => i.as_str().to_string(),
            ("payment_days", _) => {
                doc.error(v.span(), format!("{key}.payment_days: expected a whole number of days, e.g. 14"));
                continue;
            }
            (_, toml::de::DeValue::String(s)) => s.to_string(),
            _ => {
                doc.error(v.span(), format!("{key}.{name}: expected a string"));
                continue;
            }
        };
        values.push((name, Located { value: text, line: vl, column: vc }));
    }
    Some(PartyFields { line, column, values })
}

/// Reads the invoicing keys of a contract table (`t` is the whole file).
pub fn read_contract_keys(doc: &mut TomlDoc<'_>, t: &Table<'_>) -> InvoiceTerms {
    let buyer = read_table(doc, t, "buyer", BUYER_KEYS);
    let vat_category = doc.string(t, "vat_category").and_then(|(s, span)| {
        let (line, column) = doc.position(span.start);
        match VatCategory::parse(&s) {
            Some(c) => Some(Located { value: c, line, column }),
            None => {
                doc.error(
                    span,
                    format!(
                        "vat_category: \"{s}\" is not one of \"S\" (standard), \"AE\" (reverse charge), \"E\" (exempt)"
                    ),
                );
                None
            }
        }
    });
    let vat_exemption_reason = doc.string(t, "vat_exemption_reason").map(|(s, span)| {
        let (line, column) = doc.position(span.start);
        Located { value: s, line, column }
    });
    InvoiceTerms { buyer, vat_category, vat_exemption_reason, vat_rate_keys: Vec::new() }
}

/// How much the judging asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// `check`: the values present must be well-formed; nothing is required.
    Present,
    /// `invoice`: every required field must be there and well-formed.
    Complete,
}

/// Records problems of one table of one file.
struct Judge<'a> {
    file: &'a str,
    table: &'a str,
    fields: Option<&'a PartyFields>,
    problems: &'a mut Problems,
    need: Need,
    /// Required keys that are missing, reported together.
    missing: Vec<String>,
}

impl Judge<'_> {
    fn at(&mut self, v: &Located<String>, key: &str, message: String) {
        self.problems.error(self.file, Some(v.line), Some(v.column), format!("{}.{key}: {message}", self.table));
    }

    /// The value of `key` when present (with its surrounding spaces
    /// removed), after the checks that every text gets.
    fn text(&mut self, key: &str) -> Option<(String, Located<String>)> {
        let v = self.fields?.get(key)?.clone();
        let t = v.value.trim().to_string();
        if t.is_empty() {
            self.at(&v, key, "is empty".into());
            return None;
        }
        // Control characters and the two non-characters XML cannot hold.
        if t.chars().any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}') {
            self.at(&v, key, format!("\"{}\" contains a line break or control character", v.value));
            return None;
        }
        if t.chars().count() > MAX_TEXT {
            self.at(&v, key, format!("is longer than {MAX_TEXT} characters"));
            return None;
        }
        Some((t, v))
    }

    /// A required text: missing is recorded when the need is complete.
    fn required(&mut self, key: &str) -> Option<(String, Located<String>)> {
        let present = self.fields.and_then(|f| f.get(key)).is_some();
        if !present {
            self.missing.push(key.to_string());
        }
        self.text(key)
    }

    fn country(&mut self, key: &str) -> Option<String> {
        let (c, v) = self.required(key)?;
        if countries::is_country(&c) {
            return Some(c);
        }
        let upper = c.to_ascii_uppercase();
        let hint = if countries::is_country(&upper) {
            format!(" (write it in upper case: \"{upper}\")")
        } else if upper == "UK" {
            " (the United Kingdom is \"GB\")".to_string()
        } else if upper == "EL" {
            " (Greece is \"GR\"; \"EL\" is only its VAT id prefix)".to_string()
        } else {
            String::new()
        };
        self.at(&v, key, format!("\"{}\" is not an ISO 3166-1 alpha-2 country code such as \"DE\"{hint}", v.value));
        None
    }

    fn email(&mut self, key: &str, required: bool) -> Option<String> {
        let (e, v) = if required { self.required(key)? } else { self.text(key)? };
        if countries::is_email(&e) {
            return Some(e);
        }
        self.at(&v, key, format!("\"{}\" is not an e-mail address (expected name@domain.tld)", v.value));
        None
    }

    /// A VAT id, checked against its own prefix and the party's country.
    fn vat_id(&mut self, country: Option<&str>) -> Option<String> {
        let (id, v) = self.text("vat_id")?;
        match countries::vat_id(&id) {
            Ok(()) => {}
            Err(VatIdError::Shape) => {
                self.at(
                    &v,
                    "vat_id",
                    format!(
                        "\"{}\" is not a VAT identification number (expected a country prefix and the national number, e.g. \"DE123456789\")",
                        v.value
                    ),
                );
                return None;
            }
            Err(VatIdError::CountryShape { prefix, example }) => {
                self.at(
                    &v,
                    "vat_id",
                    format!("\"{}\" does not have the shape of a {prefix} VAT id ({example})", v.value),
                );
                return None;
            }
        }
        let prefix = &id[..2];
        if let Some(c) = country
            && countries::vat_prefix_country(prefix) != c
        {
            let want = countries::vat_prefix_of(c);
            self.at(
                &v,
                "vat_id",
                format!(
                    "\"{}\" is a VAT id of {prefix}, but country is \"{c}\" (expected an id starting with {want})",
                    v.value
                ),
            );
            return None;
        }
        Some(id)
    }

    fn postcode(&mut self, country: Option<&str>) -> Option<String> {
        let (p, v) = self.required("postcode")?;
        let digits = |n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let ok = match country {
            Some("DE") => digits(5),
            Some("AT" | "CH" | "LI" | "BE" | "DK" | "LU") => digits(4),
            _ => p.chars().count() <= 12,
        };
        if !ok {
            let want = if country == Some("DE") {
                "5 digits"
            } else if p.chars().count() > 12 {
                "at most 12 characters"
            } else {
                "4 digits"
            };
            self.at(&v, "postcode", format!("\"{}\" is not a postcode of {} ({want})", v.value, country.unwrap_or("")));
            return None;
        }
        Some(p)
    }

    /// The missing required keys, as one problem at the table (or the file).
    fn finish(self, hint: &str) -> bool {
        if self.need == Need::Present || self.missing.is_empty() {
            return self.missing.is_empty();
        }
        let list = join(&self.missing);
        match self.fields {
            Some(f) => self.problems.error(
                self.file,
                Some(f.line),
                Some(f.column),
                format!("[{}]: missing {list}{hint}", self.table),
            ),
            None => self.problems.error(
                self.file,
                None,
                None,
                format!("[{}]: missing; an invoice needs {list}{hint}", self.table),
            ),
        }
        false
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Judges `[seller]` of `supportctl.toml` (`file`); a complete, valid seller
/// comes back when nothing was recorded.
pub fn seller(fields: Option<&PartyFields>, file: &str, need: Need, problems: &mut Problems) -> Option<Seller> {
    let before = problems.errors().count();
    let mut j = Judge { file, table: "seller", fields, problems, need, missing: Vec::new() };
    let name = j.required("name");
    let street = j.required("street");
    let country = j.country("country");
    let postcode = j.postcode(country.as_deref());
    let city = j.required("city");
    let vat_id = j.vat_id(country.as_deref());
    let tax_number = j.text("tax_number").and_then(|(t, v)| {
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        if (10..=13).contains(&digits) && t.bytes().all(|b| b.is_ascii_digit() || b == b'/' || b == b' ') {
            Some(t)
        } else {
            j.at(
                &v,
                "tax_number",
                format!(
                    "\"{}\" is not a tax number (10 to 13 digits, with / or spaces, e.g. \"30/123/45678\")",
                    v.value
                ),
            );
            None
        }
    });
    let has = |k: &str| fields.and_then(|f| f.get(k)).is_some();
    if !has("vat_id") && !has("tax_number") {
        j.missing.push("vat_id (or tax_number)".into());
    }
    let email = j.email("email", true);
    let contact_name = j.required("contact_name");
    let contact_phone = j.required("contact_phone").and_then(|(t, v)| {
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        if digits >= 3 && t.bytes().all(|b| b.is_ascii_digit() || b" +-/()".contains(&b)) {
            Some(t)
        } else {
            j.at(
                &v,
                "contact_phone",
                format!(
                    "\"{}\" is not a phone number (digits, spaces and + - / ( ), e.g. \"+49 30 1234567\")",
                    v.value
                ),
            );
            None
        }
    });
    let contact_email = j.email("contact_email", true);
    let iban = j.required("iban").and_then(|(t, v)| match countries::iban(&t) {
        Ok(i) => Some(i),
        Err(e) => {
            let why = match e {
                IbanError::Shape => {
                    "is not an IBAN (a country code, 2 check digits, then the account; letters, digits and spaces)"
                        .to_string()
                }
                IbanError::Country(c) => format!("starts with \"{c}\", which is no IBAN country"),
                IbanError::Length { country, want, found } => {
                    format!("has {found} characters; an IBAN of {country} has {want}")
                }
                IbanError::Checksum => "fails the IBAN check digits (mod 97): a typo?".to_string(),
            };
            j.at(&v, "iban", format!("\"{}\" {why}", v.value));
            None
        }
    });
    let bic = j.text("bic").and_then(|(t, v)| {
        let b: String = t.chars().filter(|c| *c != ' ').collect();
        if countries::is_bic(&b) {
            Some(b)
        } else {
            j.at(&v, "bic", format!("\"{}\" is not a BIC (8 or 11 letters and digits, e.g. \"COBADEFFXXX\")", v.value));
            None
        }
    });
    let payment_days = match fields.and_then(|f| f.get("payment_days")).cloned() {
        None => Some(DEFAULT_PAYMENT_DAYS),
        Some(v) => match v.value.parse::<u32>() {
            Ok(d) if d <= MAX_PAYMENT_DAYS => Some(d),
            _ => {
                j.at(&v, "payment_days", format!("{} is not a number of days from 0 to {MAX_PAYMENT_DAYS}", v.value));
                None
            }
        },
    };
    let number_prefix = match fields.and_then(|f| f.get("number_prefix")).cloned() {
        None => Some(DEFAULT_NUMBER_PREFIX.to_string()),
        Some(v) => {
            let p = &v.value;
            let safe = p.len() <= 20
                && !p.starts_with('.')
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if safe {
                Some(p.clone())
            } else {
                j.at(
                    &v,
                    "number_prefix",
                    format!("\"{p}\" is not a safe start of a file name (up to 20 letters, digits, -, _ or ., not starting with .)"),
                );
                None
            }
        }
    };
    let complete = j.finish(" (see the e-invoice settings in the README)");
    if !complete || problems.errors().count() > before {
        return None;
    }
    Some(Seller {
        name: name?.0,
        address: Address { street: street?.0, postcode: postcode?, city: city?.0, country: country? },
        vat_id,
        tax_number,
        email: email?,
        contact_name: contact_name?.0,
        contact_phone: contact_phone?,
        contact_email: contact_email?,
        iban: iban?,
        bic,
        payment_days: payment_days?,
        number_prefix: number_prefix?,
    })
}

/// Judges `[buyer]` of contract `contract` (`file`); the name defaults to
/// the customer, the reference (BT-10) to the contract id.
pub fn buyer(contract: &Contract, file: &str, need: Need, problems: &mut Problems) -> Option<Buyer> {
    let before = problems.errors().count();
    let fields = contract.invoicing.buyer.as_ref();
    let mut j = Judge { file, table: "buyer", fields, problems, need, missing: Vec::new() };
    let name = match j.text("name") {
        Some((n, _)) => Some(n),
        None if fields.and_then(|f| f.get("name")).is_some() => None,
        None => {
            let customer = contract.customer.trim().to_string();
            if customer.chars().any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}') {
                j.problems.error(
                    file,
                    None,
                    None,
                    format!("customer: \"{customer}\" contains a control character, which an invoice cannot hold; give buyer.name"),
                );
                None
            } else {
                Some(customer)
            }
        }
    };
    let street = j.required("street");
    let country = j.country("country");
    let postcode = j.postcode(country.as_deref());
    let city = j.required("city");
    let vat_id = j.vat_id(country.as_deref());
    let email = j.email("email", true);
    let reference = j.text("reference").map(|r| r.0).unwrap_or_else(|| contract.id.clone());
    let complete = j.finish(" (name defaults to the customer, reference to the contract id)");
    if !complete || problems.errors().count() > before {
        return None;
    }
    Some(Buyer {
        name: name?,
        address: Address { street: street?.0, postcode: postcode?, city: city?.0, country: country? },
        vat_id,
        email: email?,
        reference,
    })
}

/// Where the `vat_rate` in force for month `m` is written in the contract,
/// if it is (else it is the ledger's default).
fn rate_key(c: &Contract, m: Month) -> Option<(usize, usize)> {
    c.invoicing.vat_rate_keys.iter().rev().find(|(from, _, _)| *from <= m).map(|&(_, l, col)| (l, col))
}

/// The months whose terms a contract's blocks set: its start and every change.
fn blocks(c: &Contract) -> impl Iterator<Item = Month> + '_ {
    std::iter::once(c.start).chain(c.changes.iter().map(|(m, _)| *m))
}

/// A contract's VAT keys as `check` judges them: an explicit category must
/// agree with every VAT rate the contract has (S above 0, AE and E at 0),
/// and `vat_exemption_reason` belongs to category E. A rate of 0 without a
/// category is left to `invoice` (a ledger that never invoices is fine).
pub fn check_contract_vat(c: &Contract, file: &str, problems: &mut Problems) {
    if let Some(cat) = &c.invoicing.vat_category {
        for m in blocks(c) {
            let rate = c.terms(m).vat_rate;
            if let Some(msg) = category_rate_problem(cat.value, rate) {
                at_rate(c, file, m, &msg, problems);
            }
        }
    }
    if let Some(r) = &c.invoicing.vat_exemption_reason
        && c.invoicing.vat_category.as_ref().map(|c| c.value) != Some(VatCategory::Exempt)
    {
        problems.error(
            file,
            Some(r.line),
            Some(r.column),
            "vat_exemption_reason: only for vat_category = \"E\" (reverse charge states its own reason)",
        );
    }
}

/// What is wrong with `rate` under category `cat`, if anything.
fn category_rate_problem(cat: VatCategory, rate: Percent) -> Option<String> {
    let zero = rate.decimal().is_zero();
    match cat {
        VatCategory::Standard if zero => {
            Some("is 0 but vat_category is \"S\" (standard rate); use \"AE\" (reverse charge) or \"E\" (exempt), or a rate above 0".into())
        }
        VatCategory::ReverseCharge | VatCategory::Exempt if !zero => Some(format!(
            "is {rate} but vat_category is \"{}\", which has no VAT; set vat_rate = \"0\"",
            cat.code()
        )),
        _ => None,
    }
}

fn at_rate(c: &Contract, file: &str, m: Month, msg: &str, problems: &mut Problems) {
    match rate_key(c, m) {
        Some((l, col)) => problems.error(file, Some(l), Some(col), format!("vat_rate: {msg}")),
        None => problems.error(
            file,
            c.invoicing.vat_category.as_ref().map(|v| v.line),
            c.invoicing.vat_category.as_ref().map(|v| v.column),
            format!("vat_rate: the ledger's default from {m} on {msg}"),
        ),
    }
}

/// The VAT category and exemption reason of an invoice of contract `c`
/// whose lines carry the rates of `months` (the invoiced month, and each
/// corrected month: a correction is taxed at the rate of the month it
/// corrects). Records every problem: a rate of 0 without category AE or E,
/// a category that disagrees with a rate, reverse charge without the
/// customer's VAT id, exemption without its reason. (The seller's VAT id
/// that reverse charge needs as well is [`seller_vat_for_reverse_charge`]'s.)
pub fn invoice_vat(
    c: &Contract,
    file: &str,
    months: &[Month],
    problems: &mut Problems,
) -> Option<(VatCategory, Option<String>)> {
    let before = problems.errors().count();
    let explicit = c.invoicing.vat_category.as_ref().map(|v| v.value);
    for &m in months {
        let rate = c.terms(m).vat_rate;
        match explicit {
            Some(cat) => {
                if let Some(msg) = category_rate_problem(cat, rate) {
                    at_rate(c, file, m, &msg, problems);
                }
            }
            None if rate.decimal().is_zero() => at_rate(
                c,
                file,
                m,
                "is 0 without vat_category; an invoice without VAT must say why: vat_category = \"AE\" (reverse charge) or \"E\" (exempt, with vat_exemption_reason)",
                problems,
            ),
            None => {}
        }
    }
    let cat = explicit.unwrap_or(VatCategory::Standard);
    let mut reason = None;
    match cat {
        VatCategory::ReverseCharge => {
            reason = Some(REVERSE_CHARGE_REASON.to_string());
            if c.invoicing.buyer.as_ref().and_then(|b| b.get("vat_id")).is_none() {
                let (line, column) = c
                    .invoicing
                    .buyer
                    .as_ref()
                    .map(|b| (Some(b.line), Some(b.column)))
                    .or_else(|| c.invoicing.vat_category.as_ref().map(|v| (Some(v.line), Some(v.column))))
                    .unwrap_or((None, None));
                problems.error(
                    file,
                    line,
                    column,
                    "buyer.vat_id: missing; reverse charge (vat_category \"AE\") needs the customer's VAT id",
                );
            }
        }
        VatCategory::Exempt => match &c.invoicing.vat_exemption_reason {
            Some(r) if !r.value.trim().is_empty() => reason = Some(r.value.trim().to_string()),
            Some(r) => problems.error(file, Some(r.line), Some(r.column), "vat_exemption_reason: is empty"),
            None => {
                let v = c.invoicing.vat_category.as_ref();
                problems.error(
                    file,
                    v.map(|v| v.line),
                    v.map(|v| v.column),
                    "vat_exemption_reason: missing; vat_category \"E\" (exempt) needs the reason the invoice states, e.g. \"Steuerfrei nach § 4 Nr. 21 UStG\"",
                );
            }
        },
        VatCategory::Standard => {}
    }
    (problems.errors().count() == before).then_some((cat, reason))
}

/// Reverse charge (the contracts of `files` invoice with VAT category AE)
/// needs the seller's VAT id: one problem naming them all when it is
/// missing, and whether it is there.
pub fn seller_vat_for_reverse_charge(
    seller: Option<&PartyFields>,
    settings_file: &str,
    files: &[String],
    problems: &mut Problems,
) -> bool {
    if files.is_empty() || seller.is_some_and(|s| s.get("vat_id").is_some()) {
        return true;
    }
    let (line, column) = seller.map(|s| (Some(s.line), Some(s.column))).unwrap_or((None, None));
    problems.error(
        settings_file,
        line,
        column,
        format!(
            "seller.vat_id: missing; reverse charge (vat_category \"AE\" in {}) needs the seller's VAT id",
            files.join(", ")
        ),
    );
    false
}

/// What `invoice` needs of one contract: its buyer, VAT category and
/// exemption reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceParty {
    pub buyer: Buyer,
    pub vat_category: VatCategory,
    pub vat_exemption_reason: Option<String>,
}

/// Everything `invoice` judges of the settings before writing: the seller,
/// and for each selected contract (with the months whose VAT rates its
/// lines carry: the invoiced month and each corrected month) its buyer and
/// VAT category. Every problem of every contract is collected; any problem
/// means no invoice is written.
pub fn for_invoices(
    settings: &crate::model::Settings,
    selected: &[(&Contract, Vec<Month>)],
) -> Result<(Seller, Vec<InvoiceParty>), Problems> {
    let mut p = Problems::default();
    let settings_file = super::SETTINGS_FILE;
    let seller = seller(settings.seller.as_ref(), settings_file, Need::Complete, &mut p);
    let mut parties = Vec::new();
    let mut reverse_charge = Vec::new();
    for (c, months) in selected {
        let file = super::contracts::file(&c.id);
        let b = buyer(c, &file, Need::Complete, &mut p);
        let v = invoice_vat(c, &file, months, &mut p);
        if c.invoicing.vat_category.as_ref().is_some_and(|v| v.value == VatCategory::ReverseCharge) {
            reverse_charge.push(file);
        }
        if let (Some(buyer), Some((vat_category, vat_exemption_reason))) = (b, v) {
            parties.push(InvoiceParty { buyer, vat_category, vat_exemption_reason });
        }
    }
    seller_vat_for_reverse_charge(settings.seller.as_ref(), settings_file, &reverse_charge, &mut p);
    match seller {
        Some(s) if !p.has_errors() => Ok((s, parties)),
        _ => Err(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::settings;

    const SELLER: &str = "[seller]\nname = \"Beispiel Consulting GmbH\"\nstreet = \"Musterstrasse 1\"\npostcode = \"10115\"\ncity = \"Berlin\"\ncountry = \"DE\"\nvat_id = \"DE123456789\"\nemail = \"rechnung@beispiel-consulting.example\"\ncontact_name = \"Erika Mustermann\"\ncontact_phone = \"+49 30 1234567\"\ncontact_email = \"support@beispiel-consulting.example\"\niban = \"DE75 5121 0800 1245 1261 99\"\n";

    fn judge_seller(src: &str, need: Need) -> (Option<Seller>, Vec<String>) {
        let mut p = Problems::default();
        let s = settings::read("supportctl.toml", src, &mut p);
        assert!(p.list.is_empty(), "{:?}", p.list);
        let seller = seller(s.seller.as_ref(), "supportctl.toml", need, &mut p);
        (seller, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn a_complete_seller() {
        let (s, errs) = judge_seller(SELLER, Need::Complete);
        assert!(errs.is_empty(), "{errs:?}");
        let s = s.unwrap();
        assert_eq!(s.iban, "DE75512108001245126199");
        assert_eq!((s.payment_days, s.number_prefix.as_str()), (14, "RE-"));
        assert_eq!(s.address.country, "DE");
    }

    #[test]
    fn no_seller_is_fine_for_check_but_not_for_invoice() {
        let (s, errs) = judge_seller("", Need::Present);
        assert!(s.is_none() && errs.is_empty(), "{errs:?}");
        let (_, errs) = judge_seller("", Need::Complete);
        assert_eq!(
            errs,
            [
                "supportctl.toml: [seller]: missing; an invoice needs name, street, country, postcode, city, vat_id (or tax_number), email, contact_name, contact_phone, contact_email and iban (see the e-invoice settings in the README)"
            ]
        );
    }

    #[test]
    fn every_malformed_value_at_once_with_its_position() {
        let src = SELLER
            .replace("DE75 5121 0800 1245 1261 99", "DE75 5121 0800 1245 1261 98")
            .replace("country = \"DE\"", "country = \"de\"")
            .replace("rechnung@beispiel-consulting.example", "rechnung at beispiel")
            .replace("DE123456789", "DE12345")
            + "bic = \"COBADEFF1\"\npayment_days = 400\nnumber_prefix = \"../x\"\n";
        let (s, errs) = judge_seller(&src, Need::Present);
        assert!(s.is_none());
        assert_eq!(
            errs,
            [
                "supportctl.toml:6:11: seller.country: \"de\" is not an ISO 3166-1 alpha-2 country code such as \"DE\" (write it in upper case: \"DE\")",
                "supportctl.toml:7:10: seller.vat_id: \"DE12345\" does not have the shape of a DE VAT id (DE111111111)",
                "supportctl.toml:8:9: seller.email: \"rechnung at beispiel\" is not an e-mail address (expected name@domain.tld)",
                "supportctl.toml:12:8: seller.iban: \"DE75 5121 0800 1245 1261 98\" fails the IBAN check digits (mod 97): a typo?",
                "supportctl.toml:13:7: seller.bic: \"COBADEFF1\" is not a BIC (8 or 11 letters and digits, e.g. \"COBADEFFXXX\")",
                "supportctl.toml:14:16: seller.payment_days: 400 is not a number of days from 0 to 365",
                "supportctl.toml:15:17: seller.number_prefix: \"../x\" is not a safe start of a file name (up to 20 letters, digits, -, _ or ., not starting with .)",
            ]
        );
    }

    #[test]
    fn missing_fields_are_listed_at_the_table() {
        let src = "[seller]\nname = \"X\"\ncountry = \"AT\"\nvat_id = \"DE123456789\"\npostcode = \"10115\"\n";
        let (_, errs) = judge_seller(src, Need::Complete);
        assert_eq!(
            errs,
            [
                "supportctl.toml:5:12: seller.postcode: \"10115\" is not a postcode of AT (4 digits)",
                "supportctl.toml:4:10: seller.vat_id: \"DE123456789\" is a VAT id of DE, but country is \"AT\" (expected an id starting with AT)",
                "supportctl.toml:1:2: [seller]: missing street, city, email, contact_name, contact_phone, contact_email and iban (see the e-invoice settings in the README)",
            ]
        );
    }

    #[test]
    fn tax_number_instead_of_vat_id() {
        let src = SELLER.replace("vat_id = \"DE123456789\"", "tax_number = \"30/123/45678\"");
        let (s, errs) = judge_seller(&src, Need::Complete);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(s.unwrap().tax_number.as_deref(), Some("30/123/45678"));
    }

    fn contract(src: &str) -> Contract {
        let mut p = Problems::default();
        let c = crate::read::contracts::read("acme", "contracts/acme.toml", src, &settings::defaults(), &mut p);
        assert!(p.list.is_empty(), "{:?}", p.list);
        c.unwrap()
    }

    #[test]
    fn buyer_defaults_and_problems() {
        let c = contract(
            "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n[buyer]\nstreet = \"Beispielweg 5\"\npostcode = \"80331\"\ncity = \"München\"\ncountry = \"DE\"\nemail = \"ap@acme.example\"\n",
        );
        let mut p = Problems::default();
        let b = buyer(&c, "contracts/acme.toml", Need::Complete, &mut p).unwrap();
        assert!(p.list.is_empty());
        assert_eq!((b.name.as_str(), b.reference.as_str()), ("ACME GmbH", "acme"));
        let c = contract("customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n");
        assert!(buyer(&c, "contracts/acme.toml", Need::Present, &mut p).is_none());
        assert!(p.list.is_empty());
        buyer(&c, "contracts/acme.toml", Need::Complete, &mut p);
        let shown: Vec<String> = p.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "contracts/acme.toml: [buyer]: missing; an invoice needs street, country, postcode, city and email (name defaults to the customer, reference to the contract id)"
            ]
        );
    }

    fn vat(src: &str, months: &[&str], seller_src: &str) -> (Option<(VatCategory, Option<String>)>, Vec<String>) {
        let c = contract(src);
        let mut p = Problems::default();
        let s = settings::read("supportctl.toml", seller_src, &mut p);
        let months: Vec<Month> = months.iter().map(|m| m.parse().unwrap()).collect();
        let r = invoice_vat(&c, "contracts/acme.toml", &months, &mut p);
        if c.invoicing.vat_category.as_ref().is_some_and(|v| v.value == VatCategory::ReverseCharge) {
            seller_vat_for_reverse_charge(
                s.seller.as_ref(),
                "supportctl.toml",
                &["contracts/acme.toml".into()],
                &mut p,
            );
        }
        (r, p.list.iter().map(|p| p.to_string()).collect())
    }

    const BASE: &str = "customer = \"A\"\ntier = \"20h\"\nstart = \"2026-01\"\n";

    #[test]
    fn categories_and_rates() {
        assert_eq!(vat(BASE, &["2026-11"], "").0, Some((VatCategory::Standard, None)));
        let (r, errs) = vat(&format!("{BASE}vat_rate = \"0\"\n"), &["2026-11"], "");
        assert_eq!(r, None);
        assert_eq!(
            errs,
            [
                "contracts/acme.toml:4:12: vat_rate: is 0 without vat_category; an invoice without VAT must say why: vat_category = \"AE\" (reverse charge) or \"E\" (exempt, with vat_exemption_reason)"
            ]
        );
        let (_, errs) = vat(&format!("{BASE}vat_rate = \"0\"\nvat_category = \"S\"\n"), &["2026-11"], "");
        assert_eq!(
            errs,
            [
                "contracts/acme.toml:4:12: vat_rate: is 0 but vat_category is \"S\" (standard rate); use \"AE\" (reverse charge) or \"E\" (exempt), or a rate above 0"
            ]
        );
        let (_, errs) = vat(&format!("{BASE}vat_category = \"E\"\n"), &["2026-11"], "");
        assert_eq!(
            errs,
            [
                "contracts/acme.toml:4:16: vat_rate: the ledger's default from 2026-11 on is 19 but vat_category is \"E\", which has no VAT; set vat_rate = \"0\"",
                "contracts/acme.toml:4:16: vat_exemption_reason: missing; vat_category \"E\" (exempt) needs the reason the invoice states, e.g. \"Steuerfrei nach § 4 Nr. 21 UStG\"",
            ]
        );
        let (r, errs) = vat(
            &format!("{BASE}vat_rate = \"0\"\nvat_category = \"E\"\nvat_exemption_reason = \"Steuerfrei\"\n"),
            &["2026-11"],
            "",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(r, Some((VatCategory::Exempt, Some("Steuerfrei".into()))));
        let (_, errs) =
            vat(&format!("{BASE}vat_rate = \"0\"\nvat_category = \"AE\"\n"), &["2026-11"], "[seller]\nname = \"S\"\n");
        assert_eq!(
            errs,
            [
                "contracts/acme.toml:5:16: buyer.vat_id: missing; reverse charge (vat_category \"AE\") needs the customer's VAT id",
                "supportctl.toml:1:2: seller.vat_id: missing; reverse charge (vat_category \"AE\" in contracts/acme.toml) needs the seller's VAT id",
            ]
        );
        // A correction of a month at another rate is judged at that month's rate.
        let changed = format!("{BASE}[[change]]\nfrom = \"2026-07\"\nvat_rate = \"0\"\n");
        assert!(vat(&changed, &["2026-05"], "").1.is_empty());
        assert_eq!(vat(&changed, &["2026-05", "2026-08"], "").1.len(), 1);
        assert!(vat(&changed, &["2026-08"], "").1[0].starts_with("contracts/acme.toml:6:12: vat_rate: is 0 without"));
    }

    #[test]
    fn for_invoices_collects_every_problem_once() {
        let mut p = Problems::default();
        let s = settings::read("supportctl.toml", "[seller]\nname = \"S\"\n", &mut p);
        let reverse_charge = format!("{BASE}vat_rate = \"0\"\nvat_category = \"AE\"\n");
        let a = contract(&reverse_charge);
        let b =
            crate::read::contracts::read("beta", "contracts/beta.toml", &reverse_charge, &settings::defaults(), &mut p)
                .unwrap();
        let m: Month = "2026-11".parse().unwrap();
        let e = for_invoices(&s, &[(&a, vec![m]), (&b, vec![m])]).unwrap_err();
        let shown: Vec<String> = e.list.iter().map(|p| p.to_string()).collect();
        // The seller's missing VAT id once, for both reverse-charge contracts.
        let seller_vat: Vec<&String> = shown.iter().filter(|p| p.contains("seller.vat_id: missing")).collect();
        assert_eq!(
            seller_vat,
            [
                "supportctl.toml:1:2: seller.vat_id: missing; reverse charge (vat_category \"AE\" in contracts/acme.toml, contracts/beta.toml) needs the seller's VAT id"
            ],
            "{shown:#?}"
        );
        assert!(shown[0].starts_with("supportctl.toml:1:2: [seller]: missing street"), "{shown:#?}");
        assert!(shown.iter().any(|p| p.starts_with("contracts/acme.toml: [buyer]: missing;")), "{shown:#?}");
        let src = SELLER;
        let s = settings::read("supportctl.toml", src, &mut p);
        let c = contract(&format!(
            "{BASE}[buyer]\nstreet = \"W 1\"\npostcode = \"80331\"\ncity = \"M\"\ncountry = \"DE\"\nemail = \"a@b.example\"\n"
        ));
        let (seller, parties) = for_invoices(&s, &[(&c, vec![m])]).unwrap();
        assert_eq!(seller.name, "Beispiel Consulting GmbH");
        assert_eq!(parties[0].vat_category, VatCategory::Standard);
    }

    #[test]
    fn check_judges_only_what_is_written() {
        let judge = |src: &str| {
            let c = contract(src);
            let mut p = Problems::default();
            check_contract_vat(&c, "contracts/acme.toml", &mut p);
            p.list.iter().map(|p| p.to_string()).collect::<Vec<_>>()
        };
        assert!(judge(&format!("{BASE}vat_rate = \"0\"\n")).is_empty());
        assert_eq!(judge(&format!("{BASE}vat_rate = \"0\"\nvat_category = \"S\"\n")).len(), 1);
        assert_eq!(
            judge(&format!("{BASE}vat_exemption_reason = \"x\"\n")),
            [
                "contracts/acme.toml:4:24: vat_exemption_reason: only for vat_category = \"E\" (reverse charge states its own reason)"
            ]
        );
    }
}
