//! E-mail addresses typed by people: a plausible address (one `@`, a dotted
//! domain, no spaces, at most 254 characters). Whether it is theirs is proved
//! by the code mailed to it, not here.

use crate::lang::Text;

pub const EMPTY: Text = Text {
    es: "Escriba su correo electrónico.",
    en: "Enter your e-mail address.",
};
pub const MALFORMED: Text = Text {
    es: "Escriba el correo completo, por ejemplo nombre@ejemplo.com.",
    en: "Enter the full e-mail address, for example name@example.com.",
};

/// The trimmed address, or the message that says what is wrong.
pub fn parse(input: &str) -> Result<String, Text> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(EMPTY);
    }
    let valid = trimmed.chars().count() <= 254
        && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        && trimmed.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        });
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err(MALFORMED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plausible_addresses_pass_trimmed() {
        assert_eq!(parse(" ana@example.com "), Ok("ana@example.com".into()));
        assert_eq!(
            parse("a.b+c@sub.example.org"),
            Ok("a.b+c@sub.example.org".into())
        );
    }

    #[test]
    fn the_rest_is_refused_with_a_message() {
        assert_eq!(parse("   "), Err(EMPTY));
        assert_eq!(
            EMPTY.get(crate::lang::Lang::En),
            "Enter your e-mail address."
        );
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@@example.com",
            "a na@example.com",
            "ana@.example.com",
            "ana@example..com",
            "ana@example.com.",
        ] {
            assert_eq!(parse(bad), Err(MALFORMED), "{bad}");
        }
        assert_eq!(
            parse(&format!("{}@example.com", "a".repeat(250))),
            Err(MALFORMED)
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_accepted_ones_have_one_at(s in "\\PC{0,40}") {
            if let Ok(e) = parse(&s) {
                prop_assert_eq!(e.matches('@').count(), 1);
                prop_assert!(!e.contains(' '));
            }
        }
    }
}
