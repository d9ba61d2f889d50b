//! The código dactilar printed on the back of an Ecuadorian cédula: a letter,
//! four digits, a letter, four digits (`V4443V4242`). Solicitar clave asks for
//! it with the full birth date as the identity proof (SPEC §2.2).
//!
//! Case, spaces and hyphens do not matter; fullwidth characters count as their
//! ASCII forms.

use crate::lang::Lang;

/// A well-formed código dactilar, upper-case, without separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodigoDactilar(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DactilarError {
    Empty,
    Length,
    Pattern,
}

impl DactilarError {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            DactilarError::Empty => lang.pick(
                "Escriba el código dactilar que está en el reverso de su cédula.",
                "Enter the fingerprint code (código dactilar) on the back of your ID card.",
            ),
            DactilarError::Length => lang.pick(
                "El código dactilar tiene 10 caracteres: una letra, cuatro números, una letra y cuatro números.",
                "The fingerprint code has 10 characters: a letter, four digits, a letter and four digits.",
            ),
            DactilarError::Pattern => lang.pick(
                "Revise el código dactilar: es una letra, cuatro números, una letra y cuatro números, por ejemplo V4443V4242.",
                "Check the fingerprint code: it is a letter, four digits, a letter and four digits, for example V4443V4242.",
            ),
        }
    }
}

impl CodigoDactilar {
    pub fn parse(input: &str) -> Result<CodigoDactilar, DactilarError> {
        let chars: Vec<char> = input
            .chars()
            .map(fold_fullwidth)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if chars.is_empty() {
            return Err(DactilarError::Empty);
        }
        if chars.len() != 10 {
            return Err(DactilarError::Length);
        }
        let fits = chars.iter().enumerate().all(|(i, c)| match i {
            0 | 5 => c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        });
        if fits {
            Ok(CodigoDactilar(chars.into_iter().collect()))
        } else {
            Err(DactilarError::Pattern)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same código written another way (as registries store it) compares equal.
    pub fn matches(&self, stored: &str) -> bool {
        CodigoDactilar::parse(stored).is_ok_and(|s| s == *self)
    }
}

fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn case_spaces_and_hyphens_are_ignored() {
        for input in [
            "V4443V4242",
            "v4443v4242",
            " V4443 V4242 ",
            "V-4443-V-4242",
            "Ｖ４４４３Ｖ４２４２",
        ] {
            assert_eq!(
                CodigoDactilar::parse(input).map(|c| c.0),
                Ok("V4443V4242".into()),
                "{input}"
            );
        }
        assert!(CodigoDactilar::parse("V4443V4242")
            .unwrap()
            .matches("v4443 v4242"));
        assert!(!CodigoDactilar::parse("V4443V4242")
            .unwrap()
            .matches("V4443V4243"));
    }

    #[test]
    fn each_rule_has_its_message() {
        assert_eq!(CodigoDactilar::parse("  "), Err(DactilarError::Empty));
        assert_eq!(
            CodigoDactilar::parse("V4443V424"),
            Err(DactilarError::Length)
        );
        assert_eq!(
            CodigoDactilar::parse("V4443V42420"),
            Err(DactilarError::Length)
        );
        assert_eq!(
            CodigoDactilar::parse("44443V4242"),
            Err(DactilarError::Pattern)
        );
        assert_eq!(
            CodigoDactilar::parse("V4443VV242"),
            Err(DactilarError::Pattern)
        );
        assert_eq!(
            CodigoDactilar::parse("Ñ4443V4242"),
            Err(DactilarError::Pattern)
        );
        for e in [
            DactilarError::Empty,
            DactilarError::Length,
            DactilarError::Pattern,
        ] {
            assert!(e.message(Lang::Es).contains("código dactilar"));
            assert!(e.message(Lang::En).contains("fingerprint code"));
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_accepts_only_the_pattern(s in "\\PC{0,24}") {
            if let Ok(c) = CodigoDactilar::parse(&s) {
                let b = c.as_str().as_bytes();
                prop_assert_eq!(b.len(), 10);
                prop_assert!(b[0].is_ascii_uppercase() && b[5].is_ascii_uppercase());
                prop_assert!(b.iter().enumerate().all(|(i, c)| i == 0 || i == 5 || c.is_ascii_digit()));
            }
        }

        #[test]
        fn every_well_formed_code_is_accepted(a in "[A-Za-z]", n in "[0-9]{4}", b in "[A-Za-z]", m in "[0-9]{4}") {
            let input = format!("{a}{n} {b}{m}");
            let parsed = CodigoDactilar::parse(&input).expect("well formed");
            prop_assert_eq!(parsed.as_str(), format!("{a}{n}{b}{m}").to_uppercase());
        }
    }
}
