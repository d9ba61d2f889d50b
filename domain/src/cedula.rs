//! Validation of Ecuadorian identity card numbers (cédula de identidad).
//!
//! [`Cedula::parse`] accepts exactly the inputs that python-stdnum's
//! `stdnum.ec.ci.validate` accepts, and fails on the same rule, in the same
//! order. python-stdnum is the reference: when this module and stdnum
//! disagree, this module is wrong. The differential test
//! `tests/cedula_differential.rs` compares both on a large generated corpus.
//!
//! The steps mirror stdnum:
//!
//! 1. *Compact*: `clean(number, ' -').upper().strip()`. stdnum's `clean`
//!    first maps a fixed set of Unicode look-alikes to ASCII (various dashes
//!    become `-`, various spaces become ` `, fullwidth and mathematical digits
//!    become `0`–`9`, …), then deletes spaces and hyphens. Then comes Python's
//!    full Unicode upper-casing (`ß` becomes `SS`, so the length can change),
//!    then Python's `strip()`, which removes Python whitespace at both ends.
//! 2. Length must be 10 code points (an empty result is reported as
//!    [`CedulaError::Empty`], which stdnum reports as `InvalidLength`).
//! 3. Only ASCII digits `0`–`9`.
//! 4. Province code (first two digits) `01`–`24`, `30` or `50`.
//! 5. Third digit `0`–`6`.
//! 6. Check digit (last digit), see [`check_digit`].

use std::fmt;
use std::str::FromStr;

use crate::lang::Lang;

/// A validated cédula: exactly 10 ASCII digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cedula(String);

/// The rule a cédula failed, in the order stdnum checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CedulaError {
    /// Nothing left after removing separators and surrounding whitespace.
    Empty,
    /// Not exactly 10 characters after compacting.
    Length,
    /// Contains something other than the ASCII digits 0–9.
    Digits,
    /// The first two digits are not a province code (01–24, 30, 50).
    Province,
    /// The third digit is greater than 6.
    ThirdDigit,
    /// The last digit does not match the computed check digit.
    CheckDigit,
}

impl Cedula {
    /// Validates `input` with the same rules as `stdnum.ec.ci.validate` and
    /// returns the compacted number (10 ASCII digits) on success.
    pub fn parse(input: &str) -> Result<Cedula, CedulaError> {
        let number = compact(input);
        validate_compact(&number)?;
        Ok(Cedula(number))
    }

    /// The 10 ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cedula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Cedula {
    type Err = CedulaError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cedula::parse(s)
    }
}

impl CedulaError {
    /// Plain message telling the user which rule failed, in `lang`.
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            CedulaError::Empty => lang.pick(
                "Ingrese su número de cédula.",
                "Enter your ID number (cédula).",
            ),
            CedulaError::Length => lang.pick(
                "La cédula debe tener 10 dígitos.",
                "Your ID number must have 10 digits.",
            ),
            CedulaError::Digits => lang.pick(
                "La cédula solo puede tener números (puede usar espacios o guiones).",
                "Your ID number can only have digits (you can use spaces or hyphens).",
            ),
            CedulaError::Province => lang.pick(
                "Los dos primeros dígitos deben ser un código de provincia: del 01 al 24, 30 o 50.",
                "The first two digits must be a province code: 01 to 24, 30 or 50.",
            ),
            CedulaError::ThirdDigit => lang.pick(
                "El tercer dígito de la cédula debe estar entre 0 y 6.",
                "The third digit of your ID number must be between 0 and 6.",
            ),
            CedulaError::CheckDigit => lang.pick(
                "El número de cédula no es válido: el último dígito no coincide. \
                 Revíselo con su cédula.",
                "This ID number is not valid: the last digit does not match. \
                 Check it against your ID card (cédula).",
            ),
        }
    }

    /// The python-stdnum exception this corresponds to: "InvalidLength" |
    /// "InvalidFormat" | "InvalidComponent" | "InvalidChecksum" (Empty ->
    /// "InvalidLength").
    pub fn stdnum_name(&self) -> &'static str {
        match self {
            CedulaError::Empty | CedulaError::Length => "InvalidLength",
            CedulaError::Digits => "InvalidFormat",
            CedulaError::Province | CedulaError::ThirdDigit => "InvalidComponent",
            CedulaError::CheckDigit => "InvalidChecksum",
        }
    }
}

/// The Spanish message (for logs and `?`); pages use [`CedulaError::message`].
impl fmt::Display for CedulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::Es))
    }
}

impl std::error::Error for CedulaError {}

/// Check digit for the first nine digits (weights 2,1,2,1,2,1,2,1,2; products
/// >9 minus 9; (10 - sum%10)%10).
///
/// Each element is a digit *value* `0..=9`, not an ASCII byte.
pub fn check_digit(first_nine: &[u8; 9]) -> u8 {
    debug_assert!(
        first_nine.iter().all(|&d| d <= 9),
        "check_digit expects digit values 0..=9"
    );
    let sum: u32 = first_nine
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let weight = if i % 2 == 0 { 2 } else { 1 };
            let product = weight * u32::from(d);
            if product > 9 {
                product - 9
            } else {
                product
            }
        })
        .sum();
    // `(10 - sum % 10) % 10` is always in 0..=9.
    ((10 - sum % 10) % 10) as u8
}

/// `clean(number, ' -').upper().strip()` as in stdnum.
fn compact(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        let c = to_ascii_lookalike(c);
        if c == ' ' || c == '-' {
            continue;
        }
        // Rust's full upper-case mapping (including the one-to-many special
        // cases such as 'ß' -> "SS") matches Python's `str.upper()`.
        out.extend(c.to_uppercase());
    }
    let trimmed = out.trim_matches(is_python_whitespace);
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}

/// The checks of `stdnum.ec.ci.validate` after compacting, in stdnum's order.
fn validate_compact(number: &str) -> Result<(), CedulaError> {
    if number.is_empty() {
        return Err(CedulaError::Empty);
    }
    // Python's len() counts code points.
    if number.chars().count() != 10 {
        return Err(CedulaError::Length);
    }
    // stdnum's isdigits() is the regex ^[0-9]+$ (ASCII only, unlike
    // str.isdigit()). Ten code points that are all ASCII digits are 10 bytes.
    let bytes = number.as_bytes();
    if !bytes.iter().all(u8::is_ascii_digit) {
        return Err(CedulaError::Digits);
    }
    let digit = |i: usize| bytes[i] - b'0';
    let province = digit(0) * 10 + digit(1);
    if !(matches!(province, 1..=24) || province == 30 || province == 50) {
        return Err(CedulaError::Province);
    }
    if digit(2) > 6 {
        return Err(CedulaError::ThirdDigit);
    }
    let mut first_nine = [0u8; 9];
    for (i, d) in first_nine.iter_mut().enumerate() {
        *d = digit(i);
    }
    if check_digit(&first_nine) != digit(9) {
        return Err(CedulaError::CheckDigit);
    }
    Ok(())
}

/// Characters for which Python's `str.isspace()` is true (this is what
/// `str.strip()` removes). Deliberately not `char::is_whitespace`, which
/// differs: it excludes U+001C..U+001F, which Python treats as whitespace.
fn is_python_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{0B}'
            | '\u{0C}'
            | '\r'
            | '\u{1C}'..='\u{1F}'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// The Unicode-to-ASCII look-alike table that stdnum's `clean()` applies
/// before deleting separators (python-stdnum 2.x `stdnum.util._char_map`).
/// Only the mappings to ' ', '-' and digits can change a verdict, but the
/// whole table is kept so that `compact` matches stdnum's `compact`.
fn to_ascii_lookalike(c: char) -> char {
    match c {
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '\u{AF}'
        | '\u{2D7}'
        | '\u{58A}'
        | '\u{5BE}'
        | '\u{1680}'
        | '\u{180A}'
        | '\u{2010}'..='\u{2015}'
        | '\u{203E}'
        | '\u{2043}'
        | '\u{207B}'
        | '\u{208B}'
        | '\u{2212}'
        | '\u{23AF}'
        | '\u{23BA}'..='\u{23BD}'
        | '\u{23E4}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{FFE3}' => '-',
        // Fullwidth digits.
        '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
        // Mathematical bold, double-struck, sans-serif, sans-serif bold and
        // monospace digits: five consecutive runs of 0-9.
        '\u{1D7CE}'..='\u{1D7FF}' => char::from(b'0' + ((c as u32 - 0x1D7CE) % 10) as u8),
        '\u{60}' | '\u{B4}' | '\u{2B9}' | '\u{2BB}' | '\u{2BC}' | '\u{2BE}' | '\u{2BF}'
        | '\u{2C8}' | '\u{300}' | '\u{301}' | '\u{312}' | '\u{313}' | '\u{55A}' | '\u{2018}'
        | '\u{2019}' | '\u{201B}' => '\'',
        '\u{66D}'
        | '\u{70D}'
        | '\u{204E}'
        | '\u{2055}'
        | '\u{2217}'
        | '\u{22C6}'
        | '\u{2731}'..='\u{2733}'
        | '\u{273A}'..='\u{273D}'
        | '\u{274A}'
        | '\u{274B}'
        | '\u{A60E}'
        | '\u{FE61}'
        | '\u{FF0A}' => '*',
        '\u{B8}' | '\u{60C}' | '\u{66B}' | '\u{66C}' | '\u{201A}' | '\u{2032}' | '\u{2E34}'
        | '\u{3001}' | '\u{FE10}' | '\u{FE50}' | '\u{FE51}' | '\u{FF0C}' => ',',
        '\u{B7}' | '\u{2D9}' | '\u{387}' | '\u{6D4}' | '\u{701}' | '\u{702}' | '\u{830}'
        | '\u{F0B}' | '\u{F0C}' | '\u{16EB}' | '\u{2022}' | '\u{2024}' | '\u{2027}'
        | '\u{2219}' | '\u{22C5}' | '\u{2E31}' | '\u{2E33}' | '\u{3002}' | '\u{30FB}'
        | '\u{FBB2}' | '\u{FBB3}' | '\u{FE52}' | '\u{FF0E}' | '\u{FF65}' | '\u{10101}'
        | '\u{1091F}' | '\u{10A50}' => '.',
        '\u{83C}' | '\u{2044}' | '\u{2215}' | '\u{27CB}' | '\u{29F8}' | '\u{FF0F}' => '/',
        '\u{1361}' | '\u{16EC}' | '\u{1804}' | '\u{FE13}' | '\u{FE30}' | '\u{FE55}'
        | '\u{FF1A}' => ':',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn digits_to_string(d: &[u8]) -> String {
        d.iter().map(|&x| char::from(b'0' + x)).collect()
    }

    fn ok(input: &str) -> String {
        match Cedula::parse(input) {
            Ok(c) => c.as_str().to_owned(),
            Err(e) => panic!("{input:?} should be valid, got {e:?}"),
        }
    }

    fn err(input: &str) -> CedulaError {
        match Cedula::parse(input) {
            Ok(c) => panic!("{input:?} should be invalid, got {c}"),
            Err(e) => e,
        }
    }

    #[test]
    fn valid_fixtures() {
        assert_eq!(ok("1714307103"), "1714307103");
        assert_eq!(ok("171430710-3"), "1714307103");
        assert_eq!(ok(" 1714307103 "), "1714307103");
        assert_eq!(ok("17 1430 7103"), "1714307103");
        assert_eq!(ok("\t1714307103\n"), "1714307103");
        assert_eq!(ok("\u{A0}1714307103\u{3000}"), "1714307103");
        // Province 30 (Ecuadorians registered abroad) and 50.
        assert_eq!(ok("3001234560"), "3001234560");
        assert_eq!(ok("5007654329"), "5007654329");
        assert_eq!(ok("0100000009"), "0100000009");
        assert_eq!(ok("2400000002"), "2400000002");
    }

    #[test]
    fn stdnum_unicode_quirks() {
        // stdnum maps fullwidth and mathematical digits to ASCII digits.
        assert_eq!(ok("１７１４３０７１０３"), "1714307103");
        assert_eq!(ok("\u{1D7CF}714307103"), "1714307103");
        // Dashes and exotic spaces are separators.
        assert_eq!(ok("171430710\u{2013}3"), "1714307103");
        assert_eq!(ok("17\u{2009}14307103"), "1714307103");
        assert_eq!(ok("17\u{1680}14307103"), "1714307103");
        // Python whitespace that is only stripped at the ends.
        assert_eq!(ok("\u{85}\u{1C}1714307103\u{2028}"), "1714307103");
        assert_eq!(err("17143\t07103"), CedulaError::Length);
        // Not Python whitespace (since Unicode 6.3) and not a separator.
        assert_eq!(err("1714307103\u{180E}"), CedulaError::Length);
        assert_eq!(err("1714307103\u{200B}"), CedulaError::Length);
        // Upper-casing can change the length.
        assert_eq!(err("171430710ß"), CedulaError::Length);
        assert_eq!(err("17143071ß"), CedulaError::Digits);
        // Other Unicode digits are not digits for stdnum.
        assert_eq!(err("١٧١٤٣٠٧١٠٣"), CedulaError::Digits);
        assert_eq!(err("171430710३"), CedulaError::Digits);
    }

    #[test]
    fn error_fixtures() {
        assert_eq!(err(""), CedulaError::Empty);
        assert_eq!(err("   "), CedulaError::Empty);
        assert_eq!(err(" - -"), CedulaError::Empty);
        assert_eq!(err("171430710"), CedulaError::Length);
        assert_eq!(err("17143071033"), CedulaError::Length);
        assert_eq!(err("17143O7103"), CedulaError::Digits);
        assert_eq!(err("171430710a"), CedulaError::Digits);
        assert_eq!(err("😀714307103"), CedulaError::Digits);
        assert_eq!(err("0014307103"), CedulaError::Province);
        assert_eq!(err("2514307103"), CedulaError::Province);
        assert_eq!(err("2914307103"), CedulaError::Province);
        assert_eq!(err("3114307103"), CedulaError::Province);
        assert_eq!(err("4914307103"), CedulaError::Province);
        assert_eq!(err("5114307103"), CedulaError::Province);
        assert_eq!(err("9914307103"), CedulaError::Province);
        assert_eq!(err("1774307103"), CedulaError::ThirdDigit);
        assert_eq!(err("1794307103"), CedulaError::ThirdDigit);
        assert_eq!(err("1714307104"), CedulaError::CheckDigit);
        assert_eq!(err("1714307130"), CedulaError::CheckDigit);
    }

    #[test]
    fn error_metadata() {
        use CedulaError::*;
        let all = [Empty, Length, Digits, Province, ThirdDigit, CheckDigit];
        let names = [
            "InvalidLength",
            "InvalidLength",
            "InvalidFormat",
            "InvalidComponent",
            "InvalidComponent",
            "InvalidChecksum",
        ];
        for (e, name) in all.iter().zip(names) {
            assert_eq!(e.stdnum_name(), name);
            assert!(!e.message(Lang::Es).is_empty());
            assert!(!e.message(Lang::En).is_empty());
            assert_ne!(e.message(Lang::Es), e.message(Lang::En));
            assert_eq!(e.to_string(), e.message(Lang::Es));
        }
        assert_eq!(Empty.message(Lang::Es), "Ingrese su número de cédula.");
        assert_eq!(Length.message(Lang::Es), "La cédula debe tener 10 dígitos.");
        assert_eq!(Empty.message(Lang::En), "Enter your ID number (cédula).");
        assert_eq!(
            Length.message(Lang::En),
            "Your ID number must have 10 digits."
        );
    }

    #[test]
    fn traits() {
        let c: Cedula = "171430710-3".parse().unwrap();
        assert_eq!(c.to_string(), "1714307103");
        assert_eq!("x".parse::<Cedula>(), Err(CedulaError::Length));
        let json = serde_json::to_string(&CedulaError::CheckDigit).unwrap();
        assert_eq!(
            serde_json::from_str::<CedulaError>(&json).unwrap(),
            CedulaError::CheckDigit
        );
    }

    #[test]
    fn check_digit_known_values() {
        assert_eq!(check_digit(&[1, 7, 1, 4, 3, 0, 7, 1, 0]), 3);
        assert_eq!(check_digit(&[0; 9]), 0);
        assert_eq!(check_digit(&[9; 9]), 9);
    }

    fn valid_prefix() -> impl Strategy<Value = [u8; 9]> {
        (
            prop_oneof![1u8..=24, Just(30u8), Just(50u8)],
            0u8..=6,
            proptest::array::uniform6(0u8..=9),
        )
            .prop_map(|(province, third, rest)| {
                let mut d = [0u8; 9];
                d[0] = province / 10;
                d[1] = province % 10;
                d[2] = third;
                d[3..].copy_from_slice(&rest);
                d
            })
    }

    proptest! {
        #[test]
        fn computed_check_digit_parses(prefix in valid_prefix()) {
            let mut digits = prefix.to_vec();
            digits.push(check_digit(&prefix));
            let s = digits_to_string(&digits);
            prop_assert_eq!(Cedula::parse(&s).map(|c| c.0), Ok(s.clone()));
        }

        #[test]
        fn wrong_check_digit_fails(prefix in valid_prefix(), delta in 1u8..=9) {
            let mut digits = prefix.to_vec();
            digits.push((check_digit(&prefix) + delta) % 10);
            let s = digits_to_string(&digits);
            prop_assert_eq!(Cedula::parse(&s), Err(CedulaError::CheckDigit));
        }

        #[test]
        fn separators_do_not_matter(
            base in prop_oneof![
                "[0-9]{8,12}",
                "[0-9a-zß ١１\u{A0}\t-]{0,14}",
                any::<String>(),
            ],
            inserts in proptest::collection::vec(
                (any::<proptest::sample::Index>(), prop_oneof![Just(' '), Just('-')]),
                0..6,
            ),
        ) {
            let mut chars: Vec<char> = base.chars().collect();
            for (at, sep) in inserts {
                let pos = at.index(chars.len() + 1);
                chars.insert(pos, sep);
            }
            let with_separators: String = chars.into_iter().collect();
            prop_assert_eq!(Cedula::parse(&base), Cedula::parse(&with_separators));
        }

        #[test]
        fn separators_in_valid_numbers(
            prefix in valid_prefix(),
            seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-"), Just(" - ")], 11),
        ) {
            let mut digits = prefix.to_vec();
            digits.push(check_digit(&prefix));
            let plain = digits_to_string(&digits);
            let mut decorated = String::new();
            for (i, ch) in plain.chars().enumerate() {
                decorated.push_str(seps[i]);
                decorated.push(ch);
            }
            decorated.push_str(seps[10]);
            prop_assert_eq!(Cedula::parse(&decorated).map(|c| c.0), Ok(plain));
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = Cedula::parse(&s);
        }

        #[test]
        fn never_panics_near_digits(s in "[0-9 \\-\t١１ßa\u{2028}\u{1D7CE}]{0,16}") {
            if let Ok(c) = Cedula::parse(&s) {
                prop_assert_eq!(c.as_str().len(), 10);
                prop_assert!(c.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
