//! Mobile phone numbers (SPEC §2.2, §2.3): Ecuadorian numbers as people write
//! them (`099 123 4567`) or any country's with its `+` prefix, checked against
//! libphonenumber's metadata and stored in E.164 (`+593991234567`).
//!
//! Server only: the metadata is too heavy for the WASM bundle; the browser
//! checks only that something plausible was typed.

use crate::lang::Lang;
use phonenumber::{country, Mode, Type};

/// Longer input is refused before parsing.
pub const MAX_INPUT: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Not a phone number of any country.
    Invalid,
    /// A real number, but not one that receives calls on a mobile.
    NotMobile,
    /// A real number of another country than the one chosen.
    OtherCountry,
}

impl PhoneError {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            PhoneError::Invalid => lang.pick(
                "Revise el número de celular: escríbalo como 099 123 4567, o con el código de su país si es del exterior, por ejemplo +34 612 345 678.",
                "Check the mobile phone number: write it as 099 123 4567, or with your country code if it is from abroad, for example +34 612 345 678.",
            ),
            PhoneError::NotMobile => lang.pick(
                "Ese número parece de un teléfono fijo o de un servicio. Escriba un número de celular.",
                "That number looks like a landline or a service number. Enter a mobile phone number.",
            ),
            PhoneError::OtherCountry => lang.pick(
                "Ese número no es del país que eligió. Elija el país del número, o escríbalo completo con el código de su país (por ejemplo +34 para España).",
                "That number is not from the country you chose. Choose the number's country, or write it in full with its country code (for example +34 for Spain).",
            ),
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

/// The E.164 form of a number to call in `country` (ISO 3166-1 alpha-2):
/// typed as people there write it, or with its `+` prefix. Mobile or fixed,
/// as long as it takes calls and belongs to that country.
pub fn parse_for_country(input: &str, country: &str) -> Result<String, PhoneError> {
    let input = input.trim();
    if input.is_empty() || input.chars().count() > MAX_INPUT {
        return Err(PhoneError::Invalid);
    }
    let region: country::Id = country.parse().map_err(|_| PhoneError::Invalid)?;
    let number = phonenumber::parse(Some(region), input).map_err(|_| PhoneError::Invalid)?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid);
    }
    if number.country().id() != Some(region) {
        return Err(PhoneError::OtherCountry);
    }
    match number.number_type(&phonenumber::metadata::DATABASE) {
        Type::Mobile
        | Type::FixedLine
        | Type::FixedLineOrMobile
        | Type::PersonalNumber
        | Type::Voip => Ok(number.format().mode(Mode::E164).to_string()),
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
        assert!(PhoneError::NotMobile
            .message(Lang::Es)
            .contains("número de celular"));
        assert!(PhoneError::NotMobile
            .message(Lang::En)
            .contains("mobile phone number"));
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

    #[test]
    fn call_back_numbers_belong_to_the_chosen_country() {
        assert_eq!(
            parse_for_country("612 34 56 78", "ES").as_deref(),
            Ok("+34612345678")
        );
        assert_eq!(
            parse_for_country("+34 912 345 678", "ES").as_deref(),
            Ok("+34912345678")
        );
        assert_eq!(
            parse_for_country("(201) 555-0123", "US").as_deref(),
            Ok("+12015550123")
        );
        assert_eq!(
            parse_for_country("02 250 1234", "EC").as_deref(),
            Ok("+59322501234")
        );
        assert_eq!(
            parse_for_country("+593 99 123 4567", "ES"),
            Err(PhoneError::OtherCountry)
        );
        assert_eq!(parse_for_country("0991234", "EC"), Err(PhoneError::Invalid));
        assert_eq!(
            parse_for_country("612345678", "XX"),
            Err(PhoneError::Invalid)
        );
    }

    proptest! {
        #[test]
        fn any_country_any_text_never_panics(s in "\\PC{0,40}", i in 0usize..32) {
            let country = crate::callback::COUNTRIES[i].0;
            if let Ok(e164) = parse_for_country(&s, country) {
                prop_assert!(e164.starts_with('+'));
                prop_assert!(e164.len() <= 16);
            }
        }

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
