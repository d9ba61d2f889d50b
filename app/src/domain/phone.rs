//! Mobile phone numbers (SPEC §2.2, §2.3): Ecuadorian numbers as people write
//! them (`099 123 4567`) or any country's with its `+` prefix, checked against
//! libphonenumber's metadata and stored in E.164 (`+593991234567`).
//!
//! Server only: the metadata is too heavy for the WASM bundle; the browser
//! checks only that something plausible was typed.

use phonenumber::{country, Mode, Type};

/// Longer input is refused before parsing.
pub const MAX_INPUT: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Not a phone number of any country.
    Invalid,
    /// A real number, but not one that receives calls on a mobile.
    NotMobile,
}

impl PhoneError {
    pub fn message_es(self) -> &'static str {
        match self {
            PhoneError::Invalid => {
                "Revise el número de celular: escríbalo como 099 123 4567, o con el código de su país si es del exterior, por ejemplo +34 612 345 678."
            }
            PhoneError::NotMobile => {
                "Ese número parece de un teléfono fijo o de un servicio. Escriba un número de celular."
            }
        }
    }
}

/// The E.164 form of a mobile number typed in Ecuador's or the international
/// format.
pub fn parse_mobile(input: &str) -> Result<String, PhoneError> {
    let input = input.trim();
    if input.is_empty() || input.chars().count() > MAX_INPUT {
        return Err(PhoneError::Invalid);
    }
    let number =
        phonenumber::parse(Some(country::Id::EC), input).map_err(|_| PhoneError::Invalid)?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid);
    }
    match number.number_type(&phonenumber::metadata::DATABASE) {
        Type::Mobile | Type::FixedLineOrMobile | Type::PersonalNumber => {
            Ok(number.format().mode(Mode::E164).to_string())
        }
        _ => Err(PhoneError::NotMobile),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ecuadorian_mobiles_as_people_write_them() {
        for input in [
            "0991234567",
            "099 123 4567",
            "099-123-4567",
            "+593 99 123 4567",
            "593991234567",
        ] {
            assert_eq!(
                parse_mobile(input).as_deref(),
                Ok("+593991234567"),
                "{input}"
            );
        }
    }

    #[test]
    fn numbers_of_other_countries_need_their_prefix() {
        assert_eq!(
            parse_mobile("+34 612 34 56 78").as_deref(),
            Ok("+34612345678")
        );
        assert_eq!(
            parse_mobile("+1 201 555 0123").as_deref(),
            Ok("+12015550123")
        );
    }

    #[test]
    fn landlines_and_nonsense_are_refused_with_their_reason() {
        // A Quito landline.
        assert_eq!(parse_mobile("02 250 1234"), Err(PhoneError::NotMobile));
        for input in [
            "",
            "   ",
            "12",
            "abc",
            "0991234",
            "+999 1234 5678",
            &"9".repeat(40),
        ] {
            assert_eq!(parse_mobile(input), Err(PhoneError::Invalid), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_always_returns_e164(s in "\\PC{0,40}") {
            if let Ok(e164) = parse_mobile(&s) {
                prop_assert!(e164.starts_with('+'));
                prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(e164.len() <= 16);
            }
        }
    }
}
