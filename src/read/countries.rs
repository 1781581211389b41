//! Reference data for seller and buyer settings (SPEC §9): the ISO 3166-1
//! alpha-2 country codes, IBAN lengths per country (SWIFT IBAN registry) and
//! the shapes of EU VAT identification numbers (VIES). Plain data and the
//! small matchers that read it; no I/O.

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted.
pub const ISO_3166_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
    "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
    "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
    "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
    "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
    "ZM", "ZW",
];

/// Whether `code` is an ISO 3166-1 alpha-2 country code (upper case).
pub fn is_country(code: &str) -> bool {
    ISO_3166_ALPHA2.binary_search(&code).is_ok()
}

/// IBAN length per country of the SWIFT IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// Why an IBAN was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum IbanError {
    /// Characters other than letters, digits and spaces, or too short.
    Shape,
    /// The first two letters are no IBAN country.
    Country(String),
    /// The country's IBANs have another length.
    Length { country: String, want: usize, found: usize },
    /// The ISO 7064 mod-97 check fails.
    Checksum,
}

/// The IBAN without spaces, upper case, when its country, length and
/// mod-97 check digits are right.
pub fn iban(text: &str) -> Result<String, IbanError> {
    let compact: String = text.chars().filter(|c| *c != ' ').collect::<String>().to_ascii_uppercase();
    if compact.len() < 5 || !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(IbanError::Shape);
    }
    let b = compact.as_bytes();
    if !b[0].is_ascii_alphabetic() || !b[1].is_ascii_alphabetic() || !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
        return Err(IbanError::Shape);
    }
    let country = &compact[..2];
    let Some(&(_, want)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
        return Err(IbanError::Country(country.to_string()));
    };
    if compact.len() != want {
        return Err(IbanError::Length { country: country.to_string(), want, found: compact.len() });
    }
    let mut rem: u32 = 0;
    for c in compact[4..].bytes().chain(compact[..4].bytes()) {
        let v = if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    if rem != 1 {
        return Err(IbanError::Checksum);
    }
    Ok(compact)
}

/// Whether `text` is a BIC (ISO 9362): 4 letters of the bank, a country
/// code, 2 letters or digits of the location, optionally 3 of the branch.
pub fn is_bic(text: &str) -> bool {
    let b = text.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && text.is_ascii()
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && is_country(&text[4..6])
        && b[6..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The shapes of VAT identification numbers after their two-letter prefix:
/// `#` a digit, `@` an upper-case letter, `?` either, anything else itself;
/// alternatives separated by `|`. The EU member states (Greece as `EL`),
/// Northern Ireland (`XI`), and the United Kingdom and Switzerland.
const VAT_SHAPES: &[(&str, &str)] = &[
    ("AT", "U########"),
    ("BE", "0#########|1#########"),
    ("BG", "#########|##########"),
    ("CH", "E#########|E#########MWST|E#########TVA|E#########IVA"),
    ("CY", "########@"),
    ("CZ", "########|#########|##########"),
    ("DE", "#########"),
    ("DK", "########"),
    ("EE", "#########"),
    ("EL", "#########"),
    ("ES", "?#######?"),
    ("FI", "########"),
    ("FR", "??#########"),
    ("GB", "#########|############|GD###|HA###"),
    ("HR", "###########"),
    ("HU", "########"),
    ("IE", "#######@|#######@@|#?#####@"),
    ("IT", "###########"),
    ("LT", "#########|############"),
    ("LU", "########"),
    ("LV", "###########"),
    ("MT", "########"),
    ("NL", "#########B##"),
    ("PL", "##########"),
    ("PT", "#########"),
    ("RO", "##|###|####|#####|######|#######|########|#########|##########"),
    ("SE", "##########01"),
    ("SI", "########"),
    ("SK", "##########"),
    ("XI", "#########|############|GD###|HA###"),
];

fn matches_shape(text: &str, shape: &str) -> bool {
    shape.split('|').any(|alt| {
        alt.len() == text.len()
            && alt.bytes().zip(text.bytes()).all(|(p, c)| match p {
                b'#' => c.is_ascii_digit(),
                b'@' => c.is_ascii_uppercase(),
                b'?' => c.is_ascii_uppercase() || c.is_ascii_digit(),
                lit => lit == c,
            })
    })
}

/// Why a VAT id was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum VatIdError {
    /// No two-letter upper-case prefix, or characters other than letters and digits.
    Shape,
    /// Its prefix is a known country, but the rest has another shape (`example` shows the right one).
    CountryShape { prefix: String, example: String },
}

/// The country a VAT id prefix stands for (`EL` is Greece, `XI` Northern Ireland).
pub fn vat_prefix_country(prefix: &str) -> &str {
    match prefix {
        "EL" => "GR",
        "XI" => "GB",
        p => p,
    }
}

/// The VAT id prefix of a country (`GR` → `EL`).
pub fn vat_prefix_of(country: &str) -> &str {
    if country == "GR" { "EL" } else { country }
}

/// Checks a VAT id: a two-letter prefix, then for the EU (and GB, CH, XI)
/// the national shape, elsewhere 2 to 13 letters and digits.
pub fn vat_id(text: &str) -> Result<(), VatIdError> {
    let b = text.as_bytes();
    if b.len() < 4 || !b[..2].iter().all(u8::is_ascii_uppercase) || !b.iter().all(u8::is_ascii_alphanumeric) {
        return Err(VatIdError::Shape);
    }
    let (prefix, rest) = text.split_at(2);
    match VAT_SHAPES.iter().find(|(p, _)| *p == prefix) {
        Some((_, shape)) if matches_shape(rest, shape) => Ok(()),
        Some((_, shape)) => {
            let first = shape.split('|').next().unwrap_or_default();
            let example: String = first
                .chars()
                .map(|c| match c {
                    '#' => '1',
                    '@' | '?' => 'A',
                    c => c,
                })
                .collect();
            Err(VatIdError::CountryShape { prefix: prefix.to_string(), example: format!("{prefix}{example}") })
        }
        None if is_country(vat_prefix_country(prefix)) && (2..=13).contains(&rest.len()) => Ok(()),
        None => Err(VatIdError::Shape),
    }
}

/// Whether `text` has the shape of an e-mail address: one `@`, a local part
/// of printable ASCII without spaces, a domain of dot-separated labels of
/// letters, digits and `-` (not at a label's ends) ending in a top-level
/// domain of at least two letters. No quoting, no IP literals.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || domain.contains('@') {
        return false;
    }
    let local_ok = local.bytes().all(|b| b.is_ascii_graphic() && !b"\"(),:;<>[\\]".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld = labels.last().copied().unwrap_or_default();
    local_ok
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_list_is_sorted_and_complete() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_3166_ALPHA2.len(), 249);
        for c in ["DE", "AT", "CH", "GB", "GR", "US", "ZW", "AX"] {
            assert!(is_country(c), "{c}");
        }
        for c in ["de", "EL", "XI", "UK", "D", "DEU", "XX", ""] {
            assert!(!is_country(c), "{c}");
        }
    }

    #[test]
    fn ibans() {
        assert_eq!(iban("DE75 5121 0800 1245 1261 99"), Ok("DE75512108001245126199".into()));
        assert_eq!(iban("de89370400440532013000"), Ok("DE89370400440532013000".into()));
        assert_eq!(iban("AT611904300234573201"), Ok("AT611904300234573201".into()));
        assert_eq!(iban("GB82WEST12345698765432"), Ok("GB82WEST12345698765432".into()));
        assert_eq!(iban("DE75512108001245126198"), Err(IbanError::Checksum));
        assert_eq!(iban("DE7551210800124512619"), Err(IbanError::Length { country: "DE".into(), want: 22, found: 21 }));
        assert_eq!(iban("ZZ75512108001245126199"), Err(IbanError::Country("ZZ".into())));
        assert_eq!(iban("DE75-5121"), Err(IbanError::Shape));
        assert_eq!(iban(""), Err(IbanError::Shape));
        assert_eq!(iban("DEXX512108001245126199"), Err(IbanError::Shape));
        for (c, _) in IBAN_LENGTHS {
            assert!(is_country(c) || *c == "XK", "{c}");
        }
    }

    #[test]
    fn bics() {
        for ok in ["COBADEFFXXX", "COBADEFF", "RZTIAT22", "DEUTDEDB110"] {
            assert!(is_bic(ok), "{ok}");
        }
        for bad in ["COBADEFF1", "cobadeff", "COBAXXFF", "C0BADEFF", "", "COBAD\u{fffd}FF1", "COBADÄFF"] {
            assert!(!is_bic(bad), "{bad}");
        }
    }

    #[test]
    fn vat_ids() {
        for ok in ["DE123456789", "ATU12345678", "FRXX123456789", "NL123456789B01", "EL123456789", "CHE123456789MWST"] {
            assert_eq!(vat_id(ok), Ok(()), "{ok}");
        }
        assert_eq!(vat_id("US123456"), Ok(()), "outside the list: prefix and 2 to 13 characters");
        assert_eq!(
            vat_id("DE12345678"),
            Err(VatIdError::CountryShape { prefix: "DE".into(), example: "DE111111111".into() })
        );
        assert_eq!(
            vat_id("AT12345678"),
            Err(VatIdError::CountryShape { prefix: "AT".into(), example: "ATU11111111".into() })
        );
        for bad in ["de123456789", "DE 123456789", "123456789", "D", "QQ12345"] {
            assert_eq!(vat_id(bad), Err(VatIdError::Shape), "{bad}");
        }
        assert_eq!(vat_prefix_country("EL"), "GR");
        assert_eq!(vat_prefix_of("GR"), "EL");
    }

    #[test]
    fn emails() {
        for ok in ["rechnung@beispiel.example", "a.b+c@x-y.example.de", "x@y.co"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.de", "a@b", "a@b.c", "a b@c.de", "a@b..de", "a@-b.de", "a@b.de.", "a@@b.de", ".a@b.de",
            "a@b.d3",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
