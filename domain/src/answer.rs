//! Normalising security answers before hashing, so "  José   Pérez" and
//! "jose perez" are the same answer (SPEC §3: trim, collapse spaces, case-fold,
//! strip accents).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn normalise(answer: &str) -> String {
    let folded: String = answer
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalise;
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_spaces_do_not_matter() {
        assert_eq!(normalise("  José   PÉREZ "), "jose perez");
        assert_eq!(normalise("Ñandú"), "nandu");
        assert_eq!(normalise("calle\tOlmedo\n"), "calle olmedo");
        assert_eq!(normalise(""), "");
    }

    proptest! {
        #[test]
        fn normalising_twice_changes_nothing(s in "\\PC*") {
            let once = normalise(&s);
            prop_assert_eq!(normalise(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            prop_assert!(!once.contains("  "));
        }
    }
}
