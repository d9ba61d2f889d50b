//! Partly masked name and e-mail address for step 3, "Confirmar datos"
//! (SPEC §2.1): enough for the owner to recognise them, too little for anyone
//! who only knows the cédula and the birth date to learn them.
//!
//! Every hidden character becomes one `*`, so the output has as many
//! characters as the input (counted in `char`s, not bytes). The functions
//! accept any string and never panic: the data comes from an import.

const STAR: char = '*';

/// `"María José", "Pérez López"` → `"MARÍA J*** P**** L****"`.
///
/// Words are separated by any Unicode whitespace and joined with one space.
/// The first given name is shown in full, upper-cased; every other word
/// (further given names and all surnames) keeps only its first letter,
/// upper-cased. Without a given name, every word is masked.
pub fn mask_name(given_names: &str, surnames: &str) -> String {
    let reveal_first = given_names.split_whitespace().next().is_some();
    let mut out = String::new();
    let words = given_names
        .split_whitespace()
        .chain(surnames.split_whitespace());
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == 0 && reveal_first {
            out.extend(word.chars().map(upper));
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(upper(first));
            }
            out.extend(chars.map(|_| STAR));
        }
    }
    out
}

/// `"maria.perez@example.com"` → `"m*********z@e******.com"`.
///
/// Shown: the first and last character of the local part (only the first
/// when it has one or two characters), the last `@`, the first character of
/// the first domain label, and everything from the first `.` of the domain on
/// (the remaining labels and the TLD). Everything else is a `*`. Without an
/// `@` nothing is shown.
pub fn mask_email(email: &str) -> String {
    let Some(at) = email.rfind('@') else {
        return email.chars().map(|_| STAR).collect();
    };
    let (local, domain) = (&email[..at], &email[at + 1..]);
    let mut out = String::with_capacity(email.len());

    let local_len = local.chars().count();
    for (i, c) in local.chars().enumerate() {
        let visible = i == 0 || (local_len >= 3 && i == local_len - 1);
        out.push(if visible { c } else { STAR });
    }
    out.push('@');

    let (label, rest) = match domain.find('.') {
        Some(dot) => domain.split_at(dot),
        None => (domain, ""),
    };
    for (i, c) in label.chars().enumerate() {
        out.push(if i == 0 { c } else { STAR });
    }
    out.push_str(rest);
    out
}

/// Upper-case one character, keeping it as is when its upper case is more
/// than one character (`ß` → `SS`), so masks keep the input's length.
fn upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn name_matches_the_spec_example() {
        assert_eq!(
            mask_name("María José", "Pérez López"),
            "MARÍA J*** P**** L****"
        );
    }

    #[test]
    fn name_counts_characters_not_bytes() {
        // "Ñusta" has 5 characters and 6 bytes; "Ángel" likewise.
        assert_eq!(mask_name("Ángel", "Ñusta"), "ÁNGEL Ñ****");
        assert_eq!(mask_name("ana", "de la torre"), "ANA D* L* T****");
    }

    #[test]
    fn name_whitespace_is_collapsed() {
        assert_eq!(
            mask_name("  Juan\t Carlos ", " Andrade\u{a0}  Mora"),
            "JUAN C***** A****** M***"
        );
    }

    #[test]
    fn name_without_given_names_reveals_no_word() {
        assert_eq!(mask_name("", "Pérez López"), "P**** L****");
        assert_eq!(mask_name("   ", ""), "");
        assert_eq!(mask_name("", ""), "");
    }

    #[test]
    fn name_keeps_length_when_upper_case_would_grow() {
        assert_eq!(mask_name("straße", "ßa"), "STRAßE ß*");
    }

    #[test]
    fn email_examples() {
        assert_eq!(
            mask_email("maria.perez@example.com"),
            "m*********z@e******.com"
        );
        assert_eq!(mask_email("marcia@gmail.com"), "m****a@g****.com");
        assert_eq!(mask_email("ana@iess.gob.ec"), "a*a@i***.gob.ec");
        assert_eq!(mask_email("jo@hotmail.es"), "j*@h******.es");
        assert_eq!(mask_email("j@x.org"), "j@x.org");
        assert_eq!(mask_email("josé@correo.ec"), "j**é@c*****.ec");
    }

    #[test]
    fn email_odd_inputs_do_not_panic_or_leak() {
        assert_eq!(mask_email(""), "");
        assert_eq!(mask_email("@"), "@");
        assert_eq!(mask_email("no-at-sign"), "**********");
        assert_eq!(mask_email("a@b@c.com"), "a*b@c.com");
        assert_eq!(mask_email("user@localhost"), "u**r@l********");
        assert_eq!(mask_email("user@.com"), "u**r@.com");
        assert_eq!(mask_email("user@"), "u**r@");
    }

    /// The visible positions, restated from the doc comment of `mask_email`
    /// in terms of character indices.
    fn visible_email_positions(email: &[char]) -> Vec<bool> {
        let mut visible = vec![false; email.len()];
        let Some(at) = email.iter().rposition(|&c| c == '@') else {
            return visible;
        };
        if at >= 1 {
            visible[0] = true;
        }
        if at >= 3 {
            visible[at - 1] = true;
        }
        visible[at] = true;
        if at + 1 < email.len() && email[at + 1] != '.' {
            visible[at + 1] = true;
        }
        if let Some(dot) = email[at + 1..].iter().position(|&c| c == '.') {
            for v in &mut visible[at + 1 + dot..] {
                *v = true;
            }
        }
        visible
    }

    fn assert_email_mask(email: &str) -> Result<(), TestCaseError> {
        let input: Vec<char> = email.chars().collect();
        let output: Vec<char> = mask_email(email).chars().collect();
        prop_assert_eq!(output.len(), input.len());
        for (i, shown) in visible_email_positions(&input).into_iter().enumerate() {
            if shown {
                prop_assert_eq!(output[i], input[i], "position {} of {:?}", i, email);
            } else {
                prop_assert_eq!(output[i], STAR, "position {} of {:?}", i, email);
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn email_mask_shows_only_the_documented_characters(email in any::<String>()) {
            assert_email_mask(&email)?;
        }

        #[test]
        fn email_mask_on_address_like_inputs(
            email in "[a-zñá0-9._@-]{0,20}@[a-zé0-9-]{0,12}(\\.[a-z]{2,5}){0,3}"
        ) {
            assert_email_mask(&email)?;
        }

        #[test]
        fn name_mask_shows_only_first_name_and_initials(
            given in any::<String>(),
            surnames in any::<String>(),
        ) {
            let masked = mask_name(&given, &surnames);
            let words: Vec<&str> = given
                .split_whitespace()
                .chain(surnames.split_whitespace())
                .collect();
            let out_words: Vec<&str> = masked.split(' ').filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(out_words.len(), words.len());
            let reveal_first = given.split_whitespace().next().is_some();
            for (i, (word, out)) in words.iter().zip(&out_words).enumerate() {
                let w: Vec<char> = word.chars().collect();
                let o: Vec<char> = out.chars().collect();
                prop_assert_eq!(o.len(), w.len());
                for (j, (&wc, &oc)) in w.iter().zip(&o).enumerate() {
                    if j == 0 || (i == 0 && reveal_first) {
                        prop_assert_eq!(oc, upper(wc));
                    } else {
                        prop_assert_eq!(oc, STAR);
                    }
                }
            }
        }
    }
}
