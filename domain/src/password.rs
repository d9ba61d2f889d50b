//! The clave policy of SPEC §4.3 (NIST SP 800-63B, OWASP ASVS): a minimum
//! length, a generous maximum that is never truncated, any Unicode including
//! spaces, no composition rules; refused when it is a common password or
//! contains the user's own data or the institute's name.
//!
//! [`PasswordPolicy::check`] is the server's verdict (feature `server`: it
//! needs Unicode normalisation tables, which never travel to a browser).
//! [`is_common`] is its common-password rule: zxcvbn's English lists and
//! the Spanish and Ecuadorian ones of [`crate::guesses`].
//! [`strength_of_normalised`] is only live feedback for the browser: cheap,
//! with only the heads of the Spanish lists, deliberately rough; it never
//! decides whether a clave is accepted.

#[cfg(feature = "server")]
use crate::answer;
use crate::guesses::Lists;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
#[cfg(feature = "server")]
use unicode_normalization::UnicodeNormalization;

/// Default minimum length, in characters after NFKC.
pub const DEFAULT_MIN_CHARS: usize = 12;
/// Longest clave accepted, in characters after NFKC. Longer ones are refused,
/// never cut, so the stored hash always covers what the user typed.
pub const MAX_CHARS: usize = 256;

/// Names the institute goes by, folded and without spaces.
const INSTITUTE_NAMES: [&str; 3] = [
    "iess",
    "seguridadsocial",
    "institutoecuatorianodeseguridadsocial",
];

#[cfg(feature = "server")]
/// Name particles of three letters or more that are ordinary words too
/// ("de la Torre", "del Pozo"); refusing them would refuse half of Spanish.
const NAME_PARTICLES: [&str; 9] = [
    "del", "las", "los", "san", "dos", "das", "van", "von", "der",
];

#[cfg(feature = "server")]
/// NFKC, the form that is counted, checked and hashed: a composed "ñ" and
/// an "n" plus a combining tilde are the same clave.
pub fn normalise(p: &str) -> String {
    p.nfkc().collect()
}

#[cfg(feature = "server")]
/// Whether a clave in NFKC form is common: fewer than 10^8 guesses for
/// zxcvbn (its scores 0 to 2) with `words` (the person's names, cédula and
/// the institute's) among its lists, or for a guesser in Spanish
/// ([`crate::guesses`]).
pub fn is_common(normalised: &str, words: &[&str]) -> bool {
    Lists::server().estimate(normalised).is_common()
        || u8::from(zxcvbn::zxcvbn(normalised, words).score()) < 3
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_chars: DEFAULT_MIN_CHARS,
        }
    }
}

/// What the user's clave must not contain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordContext<'a> {
    /// The 10-digit cédula.
    pub cedula: &'a str,
    /// `(year, month, day)`, as chrono orders it.
    pub birth_date: Option<(i32, u32, u32)>,
    /// Given names and surnames, one or several words per entry.
    pub names: Vec<&'a str>,
}

/// One reason a clave is refused. Each appears at most once in a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    TooShort { min: usize },
    TooLong,
    ContainsCedula,
    ContainsBirthDate,
    ContainsName,
    ContainsInstitute,
    Common,
}

impl PasswordProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PasswordProblem::TooShort { min } => lang.pick(
                format!("La clave debe tener al menos {min} caracteres."),
                format!("Your password must have at least {min} characters."),
            ),
            PasswordProblem::TooLong => lang.pick(
                format!("La clave puede tener como máximo {MAX_CHARS} caracteres. Escriba una más corta."),
                format!("Your password can have at most {MAX_CHARS} characters. Enter a shorter one."),
            ),
            PasswordProblem::ContainsCedula => lang
                .pick(
                    "La clave no debe contener su número de cédula.",
                    "Your password must not contain your ID number.",
                )
                .to_owned(),
            PasswordProblem::ContainsBirthDate => lang
                .pick(
                    "La clave no debe contener su fecha de nacimiento.",
                    "Your password must not contain your date of birth.",
                )
                .to_owned(),
            PasswordProblem::ContainsName => lang
                .pick(
                    "La clave no debe contener sus nombres ni sus apellidos.",
                    "Your password must not contain your names or surnames.",
                )
                .to_owned(),
            PasswordProblem::ContainsInstitute => lang
                .pick(
                    "La clave no debe contener el nombre del Instituto (IESS).",
                    "Your password must not contain the Institute's name (IESS).",
                )
                .to_owned(),
            PasswordProblem::Common => lang
                .pick(
                    "Esta clave es muy conocida y fácil de adivinar. \
                     Elija otra, por ejemplo tres o cuatro palabras que solo usted relacione.",
                    "This password is well known and easy to guess. \
                     Choose another one, for example three or four words that only you would put together.",
                )
                .to_owned(),
        }
    }
}

impl PasswordPolicy {
    #[cfg(feature = "server")]
    /// Checks a clave against the policy. Every problem found is returned,
    /// in a fixed order: length, cédula, birth date, names, institute,
    /// common. A clave over [`MAX_CHARS`] is reported as `TooLong` alone, so
    /// an oversized input never reaches the blocklist.
    ///
    /// `is_common` is the blocklist hook; it receives the NFKC form.
    pub fn check(
        &self,
        password: &str,
        ctx: &PasswordContext<'_>,
        is_common: impl Fn(&str) -> bool,
    ) -> Result<(), Vec<PasswordProblem>> {
        let normalised = normalise(password);
        let len = normalised.chars().count();
        if len > MAX_CHARS {
            return Err(vec![PasswordProblem::TooLong]);
        }
        let mut problems = Vec::new();
        if len < self.min_chars {
            problems.push(PasswordProblem::TooShort {
                min: self.min_chars,
            });
        }

        let folded = fold(&normalised);
        if contains_cedula(&folded, ctx.cedula) {
            problems.push(PasswordProblem::ContainsCedula);
        }
        if let Some((y, m, d)) = ctx.birth_date {
            if date_patterns(y, m, d)
                .iter()
                .any(|p| folded.contains(p.as_str()))
            {
                problems.push(PasswordProblem::ContainsBirthDate);
            }
        }
        if name_words(&ctx.names)
            .iter()
            .any(|w| folded.contains(w.as_str()))
        {
            problems.push(PasswordProblem::ContainsName);
        }
        if INSTITUTE_NAMES.iter().any(|n| folded.contains(n)) {
            problems.push(PasswordProblem::ContainsInstitute);
        }
        if is_common(&normalised) {
            problems.push(PasswordProblem::Common);
        }

        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The rules, shown before the user types (SPEC §2.1 step 6).
    pub fn rules(&self, lang: Lang) -> Vec<String> {
        let min = self.min_chars;
        vec![
            lang.pick(
                format!("Use al menos {min} caracteres (hasta {MAX_CHARS})."),
                format!("Use at least {min} characters (up to {MAX_CHARS})."),
            ),
            lang.pick(
                "Puede usar espacios, tildes, números y símbolos; ninguno es obligatorio.",
                "You can use spaces, accents, digits and symbols; none of them is required.",
            )
            .to_owned(),
            lang.pick(
                "No use su cédula, su fecha de nacimiento, sus nombres o apellidos ni el nombre del IESS.",
                "Do not use your ID number, your date of birth, your names or surnames, or the name of the IESS.",
            )
            .to_owned(),
            lang.pick(
                "Evite claves conocidas. Tres o cuatro palabras que solo usted relacione son fáciles de recordar y difíciles de adivinar.",
                "Avoid well-known passwords. Three or four words that only you would put together are easy to remember and hard to guess.",
            )
            .to_owned(),
        ]
    }
}

#[cfg(feature = "server")]
/// Case-, accent- and space-insensitive form used for the context checks.
fn fold(s: &str) -> String {
    answer::normalise(s).replace(' ', "")
}

#[cfg(feature = "server")]
/// The cédula (its first 9 digits, which is enough to catch the full 10),
/// also when written with separators such as "171003406-5".
fn contains_cedula(folded: &str, cedula: &str) -> bool {
    let digits: String = cedula.chars().filter(char::is_ascii_digit).collect();
    let needle = match digits.len() {
        0..=5 => return false, // not a cédula; a short needle would refuse too much
        6..=9 => digits.as_str(),
        _ => &digits[..9],
    };
    let compact: String = folded
        .chars()
        .filter(|c| !matches!(c, '-' | '.' | '_' | '/'))
        .collect();
    compact.contains(needle)
}

#[cfg(feature = "server")]
/// The birth date as people write it: day-month-year (also with a 2-digit
/// year), year-month-day, and month-day-year; with and without leading zeros,
/// without separators or with `/`, `-`, `.` or `_`.
fn date_patterns(year: i32, month: u32, day: u32) -> Vec<String> {
    if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Vec::new();
    }
    let yyyy = year.to_string();
    let yy = format!("{:02}", year % 100);
    let variants = |n: u32| {
        let mut v = vec![format!("{n:02}")];
        if n < 10 {
            v.push(n.to_string());
        }
        v
    };
    let (days, months) = (variants(day), variants(month));
    let mut out = Vec::new();
    for sep in ["", "/", "-", ".", "_"] {
        for dd in &days {
            for mm in &months {
                out.push(format!("{dd}{sep}{mm}{sep}{yyyy}"));
                out.push(format!("{yyyy}{sep}{mm}{sep}{dd}"));
                out.push(format!("{mm}{sep}{dd}{sep}{yyyy}"));
                // "ddmmyy" only zero-padded: "5380" would refuse too much.
                if !sep.is_empty() || (dd.len() == 2 && mm.len() == 2) {
                    out.push(format!("{dd}{sep}{mm}{sep}{yy}"));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(feature = "server")]
/// Folded name words of at least 3 letters, split at anything that is not a
/// letter or digit ("Ana-María" gives "ana" and "maria").
fn name_words(names: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = names
        .iter()
        .flat_map(|n| {
            answer::normalise(n)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
                .filter(|w| !NAME_PARTICLES.contains(w))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Live feedback while typing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    Empty,
    TooShort { missing: usize },
    Weak,
    Fair,
    Strong,
}

/// Below this estimate a long-enough clave is weak.
const FAIR_BITS: f64 = 40.0;
/// From this estimate (and [`STRONG_MIN_CHARS`]) a clave is strong.
const STRONG_BITS: f64 = 64.0;
/// Strong also needs some length: length is what resists guessing best.
const STRONG_MIN_CHARS: usize = 16;

#[cfg(feature = "server")]
/// A rough, dictionary-free strength estimate, cheap enough for every
/// keystroke. Counted on the NFKC form, like [`PasswordPolicy::check`].
pub fn strength(password: &str, min_chars: usize) -> Strength {
    strength_of_normalised(&normalise(password), min_chars)
}

/// [`strength`] of a clave already in NFKC form: the browser normalises with
/// its own `String.prototype.normalize`, so no Unicode tables travel to it.
pub fn strength_of_normalised(normalised: &str, min_chars: usize) -> Strength {
    let chars: Vec<char> = normalised.chars().collect();
    if chars.is_empty() {
        return Strength::Empty;
    }
    if chars.len() < min_chars {
        return Strength::TooShort {
            missing: min_chars - chars.len(),
        };
    }
    // The server refuses the institute's name outright (ASCII, so no
    // Unicode tables are needed to find it).
    let squeezed: String = chars
        .iter()
        .filter(|c| !c.is_whitespace())
        .map(char::to_ascii_lowercase)
        .collect();
    if INSTITUTE_NAMES.iter().any(|n| squeezed.contains(n)) {
        return Strength::Weak;
    }
    let bits = estimate_bits(normalised, &chars);
    let by_bits = if bits < FAIR_BITS {
        Strength::Weak
    } else if bits < STRONG_BITS || chars.len() < STRONG_MIN_CHARS.max(min_chars.saturating_add(4))
    {
        Strength::Fair
    } else {
        Strength::Strong
    };
    let spanish = Lists::hint().estimate(normalised);
    match (spanish.is_common(), spanish.exact, by_bits) {
        // The server's lists price it the same: it refuses it.
        (true, true, _) => Strength::Weak,
        // The server's may price it higher: never "strong", since it may refuse.
        (true, false, Strength::Strong) => Strength::Fair,
        _ => by_bits,
    }
}

/// Bits of a brute-force search over the character classes used, with
/// repeated characters and runs ("aaaa", "1234", "dcba") counted as a
/// quarter, capped when few distinct characters are used, plus a bonus for
/// a passphrase of three or more different words.
fn estimate_bits(text: &str, chars: &[char]) -> f64 {
    let (mut lower, mut upper, mut digit, mut space, mut symbol, mut letter, mut other) =
        (false, false, false, false, false, false, false);
    for &c in chars {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_whitespace() => space = true,
            c if c.is_ascii() => symbol = true,
            c if c.is_alphabetic() => letter = true,
            _ => other = true,
        }
    }
    let pool: u32 = [
        (lower, 26),
        (upper, 26),
        (digit, 10),
        (space, 1),
        (symbol, 33),
        (letter, 20),
        (other, 100),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, size)| size)
    .sum();
    let per_char = f64::from(pool.max(2)).log2();

    let walked = keyboard_walks(chars);
    let mut effective = 0.0;
    let mut prev: Option<char> = None;
    let mut prev_step: Option<i64> = None;
    for (i, &c) in chars.iter().enumerate() {
        let step = prev.map(|p| i64::from(u32::from(c)) - i64::from(u32::from(p)));
        let predictable =
            walked[i] || step == Some(0) || (matches!(step, Some(1 | -1)) && step == prev_step);
        effective += if predictable { 0.25 } else { 1.0 };
        prev = Some(c);
        prev_step = step;
    }

    let distinct = chars.iter().collect::<HashSet<_>>().len();
    let repeats = chars.len() - distinct;
    let cap = distinct as f64 * per_char + repeats as f64;
    let mut bits = (effective * per_char).min(cap);

    let words: HashSet<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    if words.len() >= 3 {
        bits += 10.0;
    }
    bits
}

/// Rows and columns of a Spanish keyboard, read either way: a walk along them
/// ("qwerty", "1qaz2wsx") is among the first things a guesser tries.
const KEYBOARD_LINES: [&str; 5] = [
    "1234567890",
    "qwertyuiop",
    "asdfghjklñ",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
];

/// Which characters belong to a walk of four or more keys along one line.
fn keyboard_walks(chars: &[char]) -> Vec<bool> {
    const MIN_WALK: usize = 4;
    let lower: Vec<char> = chars.iter().map(char::to_ascii_lowercase).collect();
    let lines: Vec<Vec<char>> = KEYBOARD_LINES
        .iter()
        .flat_map(|l| [l.chars().collect(), l.chars().rev().collect()])
        .collect();
    let on_a_line = |part: &[char]| {
        lines
            .iter()
            .any(|l| l.windows(part.len()).any(|w| w == part))
    };
    let mut walked = vec![false; chars.len()];
    let mut i = 0;
    while i < lower.len() {
        let mut end = i;
        while end < lower.len() && on_a_line(&lower[i..=end]) {
            end += 1;
        }
        if end - i >= MIN_WALK {
            walked[i..end].iter_mut().for_each(|w| *w = true);
            i = end;
        } else {
            i += 1;
        }
    }
    walked
}

impl Strength {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Strength::Empty => lang.pick("Sin escribir", "Not typed yet").to_owned(),
            Strength::TooShort { missing: 1 } => lang
                .pick(
                    "Muy corta: falta 1 carácter",
                    "Too short: 1 more character needed",
                )
                .to_owned(),
            Strength::TooShort { missing } => lang.pick(
                format!("Muy corta: faltan {missing} caracteres"),
                format!("Too short: {missing} more characters needed"),
            ),
            Strength::Weak => lang.pick("Débil", "Weak").to_owned(),
            Strength::Fair => lang.pick("Aceptable", "Fair").to_owned(),
            Strength::Strong => lang.pick("Fuerte", "Strong").to_owned(),
        }
    }

    pub fn hint(&self, lang: Lang) -> &'static str {
        match self {
            Strength::Empty => lang.pick(
                "Le sugerimos una frase de tres o cuatro palabras, separadas por espacios.",
                "We suggest a phrase of three or four words, separated by spaces.",
            ),
            Strength::TooShort { .. } => lang.pick(
                "Siga escribiendo. Tres o cuatro palabras seguidas alcanzan el largo con facilidad.",
                "Keep typing. Three or four words in a row easily reach the length.",
            ),
            Strength::Weak => lang.pick(
                "Es fácil de adivinar. Evite palabras y nombres conocidos, años, \
                 repeticiones y secuencias como 1234; pruebe con tres o cuatro \
                 palabras que solo usted relacione.",
                "It is easy to guess. Avoid well-known words and names, years, \
                 repetitions and sequences like 1234; try three or four \
                 words that only you would put together.",
            ),
            Strength::Fair => lang.pick(
                "Aceptable. Añadir otra palabra la hace más segura.",
                "Acceptable. Adding another word makes it stronger.",
            ),
            Strength::Strong => lang.pick(
                "Buena clave. Anótela en un lugar seguro y no la comparta.",
                "Good password. Write it down somewhere safe and do not share it.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn never(_: &str) -> bool {
        false
    }

    fn ctx() -> PasswordContext<'static> {
        PasswordContext {
            cedula: "1710034065",
            birth_date: Some((1980, 3, 5)),
            names: vec!["María José", "Pérez López"],
        }
    }

    fn problems(p: &str) -> Vec<PasswordProblem> {
        match PasswordPolicy::default().check(p, &ctx(), never) {
            Ok(()) => Vec::new(),
            Err(v) => v,
        }
    }

    fn accepted(p: &str) -> bool {
        PasswordPolicy::default().check(p, &ctx(), never).is_ok()
    }

    /// A clave with nothing from the context, of exactly `n` characters.
    fn filler(n: usize) -> String {
        "tortuga verde bajo la lluvia "
            .chars()
            .cycle()
            .take(n)
            .collect()
    }

    #[test]
    fn default_minimum_is_twelve() {
        assert_eq!(PasswordPolicy::default().min_chars, 12);
        assert_eq!(MAX_CHARS, 256);
    }

    #[test]
    fn exactly_twelve_accepted_eleven_refused() {
        assert!(accepted(&filler(12)));
        assert_eq!(
            problems(&filler(11)),
            vec![PasswordProblem::TooShort { min: 12 }]
        );
        let policy = PasswordPolicy { min_chars: 15 };
        assert!(policy.check(&filler(15), &ctx(), never).is_ok());
        assert_eq!(
            policy.check(&filler(14), &ctx(), never),
            Err(vec![PasswordProblem::TooShort { min: 15 }])
        );
    }

    #[test]
    fn long_claves_accepted_and_never_truncated() {
        assert!(accepted(&filler(64)));
        assert!(accepted(&filler(200)));
        assert!(accepted(&filler(256)));
        assert_eq!(problems(&filler(257)), vec![PasswordProblem::TooLong]);
        assert_eq!(problems(&filler(10_000)), vec![PasswordProblem::TooLong]);
        // Normalising keeps everything: nothing is cut.
        assert_eq!(normalise(&filler(200)), filler(200));
    }

    #[test]
    fn too_long_never_reaches_the_blocklist() {
        let called = std::cell::Cell::new(false);
        let r = PasswordPolicy::default().check(&filler(300), &ctx(), |_| {
            called.set(true);
            true
        });
        assert_eq!(r, Err(vec![PasswordProblem::TooLong]));
        assert!(!called.get());
    }

    #[test]
    fn unicode_emoji_and_spaces_count_as_characters() {
        // 12 emoji are 48 bytes but 12 characters.
        assert!(accepted(&"🔑".repeat(12)));
        assert!(!accepted(&"🔑".repeat(11)));
        assert!(accepted("           ñ")); // 11 spaces and ñ
        assert!(accepted("ñandú ágil ☂"));
        assert!(accepted("漢字のパスワード長いです"));
    }

    #[test]
    fn length_is_counted_after_nfkc() {
        // "n" + combining tilde composes into one "ñ".
        let decomposed = format!("{}{}", "x".repeat(10), "n\u{303}");
        assert_eq!(decomposed.chars().count(), 12);
        assert_eq!(
            problems(&decomposed),
            vec![PasswordProblem::TooShort { min: 12 }]
        );
        // The ligature "ﬃ" expands to "ffi".
        let ligature = format!("{}ﬃ", "x".repeat(10));
        assert_eq!(ligature.chars().count(), 11);
        assert!(accepted(&ligature));
    }

    #[test]
    fn blocklist_hook_gets_the_nfkc_form() {
        let seen = std::cell::RefCell::new(String::new());
        let r =
            PasswordPolicy::default().check("ＣＯＮＴＲＡＳＥÑＡ１２", &ctx(), |p| {
                *seen.borrow_mut() = p.to_owned();
                true
            });
        assert_eq!(seen.borrow().as_str(), "CONTRASEÑA12");
        assert_eq!(r, Err(vec![PasswordProblem::Common]));
    }

    #[test]
    fn cedula_is_caught() {
        for p in [
            "mi clave 1710034065",
            "1710034065 es mi numero",
            "171003406 tortuga",
            "tortuga 171003406-5",
            "171.003.406.5 tortuga",
            "1710 0340 65 tortuga",
        ] {
            assert_eq!(problems(p), vec![PasswordProblem::ContainsCedula], "{p:?}");
        }
        assert!(accepted("tortuga 17100340 verde"));
        // A missing or odd cédula refuses nothing.
        let empty = PasswordContext::default();
        assert!(PasswordPolicy::default()
            .check(&filler(20), &empty, never)
            .is_ok());
    }

    #[test]
    fn birth_date_is_caught_in_common_forms() {
        for p in [
            "tortuga05031980",
            "tortuga 05/03/1980",
            "tortuga 05-03-1980",
            "tortuga 05.03.1980",
            "tortuga 5/3/1980",
            "tortuga 5-3-1980",
            "tortuga 5031980",
            "tortuga 19800305",
            "tortuga 1980-03-05",
            "tortuga 1980/3/5",
            "tortuga 050380",
            "tortuga 5/3/80",
            "tortuga 03/05/1980",
            "tortuga ０５０３１９８０",
        ] {
            assert_eq!(
                problems(p),
                vec![PasswordProblem::ContainsBirthDate],
                "{p:?}"
            );
        }
        // Day and month alone, or the year alone, are allowed.
        assert!(accepted("tortuga 0503 verde"));
        assert!(accepted("tortuga verde 1980"));
        assert!(accepted("tortuga verde 5380"));
        // Two-digit days and months, too.
        let late = PasswordContext {
            birth_date: Some((1975, 12, 25)),
            ..ctx()
        };
        for p in ["tortuga25121975", "tortuga 1975-12-25", "tortuga 251275"] {
            assert_eq!(
                PasswordPolicy::default().check(p, &late, never),
                Err(vec![PasswordProblem::ContainsBirthDate]),
                "{p:?}"
            );
        }
    }

    #[test]
    fn names_are_caught_whatever_the_case_or_accents() {
        for p in [
            "PÉREZ tortuga verde",
            "perez tortuga verde",
            "Pérez tortuga verde",
            "tortugaLOPEZverde",
            "tortuga lópez verde",
            "tortuga MARIA verde",
            "tortuga maría verde",
            "tortuga José verde",
            "tortuga JOSE verde",
            "tortuga p é r e z verde",
        ] {
            assert_eq!(problems(p), vec![PasswordProblem::ContainsName], "{p:?}");
        }
    }

    #[test]
    fn short_names_and_particles_are_not_words_to_refuse() {
        let c = PasswordContext {
            cedula: "",
            birth_date: None,
            names: vec!["Li Ana", "del Pozo-Muñoz"],
        };
        let check = |p: &str| PasswordPolicy::default().check(p, &c, never);
        assert!(check("li li li lo la del mar").is_ok());
        assert_eq!(
            check("ANA tortuga verde"),
            Err(vec![PasswordProblem::ContainsName])
        );
        assert_eq!(
            check("tortuga pozo verde"),
            Err(vec![PasswordProblem::ContainsName])
        );
        assert_eq!(
            check("tortuga MUNOZ verde"),
            Err(vec![PasswordProblem::ContainsName])
        );
        assert_eq!(
            check("tortuga muñoz verde"),
            Err(vec![PasswordProblem::ContainsName])
        );
    }

    #[test]
    fn institute_is_caught() {
        for p in [
            "tortuga IESS verde",
            "tortuga iess verde",
            "Seguridad Social 2024",
            "seguridadsocial tortuga",
            "Instituto Ecuatoriano de Seguridad Social",
        ] {
            assert_eq!(
                problems(p),
                vec![PasswordProblem::ContainsInstitute],
                "{p:?}"
            );
        }
    }

    #[test]
    fn every_problem_is_reported_once_in_order() {
        let r = PasswordPolicy::default().check("perez iess 5/3/80 171003406", &ctx(), |_| true);
        assert_eq!(
            r,
            Err(vec![
                PasswordProblem::ContainsCedula,
                PasswordProblem::ContainsBirthDate,
                PasswordProblem::ContainsName,
                PasswordProblem::ContainsInstitute,
                PasswordProblem::Common,
            ])
        );
        let r = PasswordPolicy::default().check("perez", &ctx(), never);
        assert_eq!(
            r,
            Err(vec![
                PasswordProblem::TooShort { min: 12 },
                PasswordProblem::ContainsName
            ])
        );
    }

    #[test]
    fn messages_are_in_both_languages_and_carry_the_numbers() {
        assert_eq!(
            PasswordProblem::TooShort { min: 12 }.message(Lang::Es),
            "La clave debe tener al menos 12 caracteres."
        );
        assert_eq!(
            PasswordProblem::TooShort { min: 12 }.message(Lang::En),
            "Your password must have at least 12 characters."
        );
        for lang in Lang::ALL {
            assert!(PasswordProblem::TooLong.message(lang).contains("256"));
            assert!(PasswordPolicy::default().rules(lang)[0].contains("12"));
        }
        for p in [
            PasswordProblem::ContainsCedula,
            PasswordProblem::ContainsBirthDate,
            PasswordProblem::ContainsName,
            PasswordProblem::ContainsInstitute,
            PasswordProblem::Common,
        ] {
            let es = p.message(Lang::Es);
            assert!(es.starts_with("La clave") || es.starts_with("Esta clave"));
            let en = p.message(Lang::En);
            assert!(en.starts_with("Your password") || en.starts_with("This password"));
        }
    }

    #[test]
    fn strength_steps() {
        assert_eq!(strength("", 12), Strength::Empty);
        assert_eq!(strength("abc", 12), Strength::TooShort { missing: 9 });
        assert_eq!(
            strength("abcdefghijk", 12),
            Strength::TooShort { missing: 1 }
        );
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "abcdefghijkl",
            "holaholahola",
            "abababababab",
            "111111111111111111111111",
        ] {
            assert_eq!(strength(weak, 12), Strength::Weak, "{weak:?}");
        }
        for fair in ["xkqmdpzrtwvb", "Tortuga7Verde"] {
            assert_eq!(strength(fair, 12), Strength::Fair, "{fair:?}");
        }
        for strong in [
            "tortuga verde bajo la lluvia",
            "caballo correcto batería grapa",
            "MiPerroSeLlamaFido y come pan",
        ] {
            assert_eq!(strength(strong, 12), Strength::Strong, "{strong:?}");
        }
    }

    #[test]
    fn strength_labels_and_hints() {
        assert_eq!(
            Strength::TooShort { missing: 1 }.label(Lang::Es),
            "Muy corta: falta 1 carácter"
        );
        assert_eq!(
            Strength::TooShort { missing: 4 }.label(Lang::Es),
            "Muy corta: faltan 4 caracteres"
        );
        assert_eq!(
            Strength::TooShort { missing: 4 }.label(Lang::En),
            "Too short: 4 more characters needed"
        );
        assert!(Strength::Empty
            .hint(Lang::Es)
            .contains("tres o cuatro palabras"));
        assert!(Strength::Empty
            .hint(Lang::En)
            .contains("three or four words"));
        for s in [
            Strength::Empty,
            Strength::TooShort { missing: 2 },
            Strength::Weak,
            Strength::Fair,
            Strength::Strong,
        ] {
            for lang in Lang::ALL {
                assert!(!s.label(lang).is_empty());
                assert!(!s.hint(lang).is_empty());
            }
        }
    }

    proptest! {
        #[test]
        fn check_never_panics(
            password in any::<String>(),
            cedula in any::<String>(),
            names in proptest::collection::vec(any::<String>(), 0..4),
            date in proptest::option::of((any::<i32>(), any::<u32>(), any::<u32>())),
            min in 0usize..40,
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let ctx = PasswordContext { cedula: &cedula, birth_date: date, names };
            let _ = PasswordPolicy { min_chars: min }.check(&password, &ctx, |_| false);
        }

        #[test]
        fn length_alone_decides_without_context(password in "[a-z ]{0,300}") {
            let empty = PasswordContext::default();
            let len = password.chars().count();
            let r = PasswordPolicy::default().check(&password, &empty, never);
            let refused_for_length = !(12..=MAX_CHARS).contains(&len);
            prop_assert_eq!(r.is_err(), refused_for_length || INSTITUTE_NAMES.iter().any(|n| fold(&password).contains(n)));
        }

        #[test]
        fn strength_never_panics(password in any::<String>(), min in 0usize..40) {
            let s = strength(&password, min);
            if password.is_empty() {
                prop_assert_eq!(s, Strength::Empty);
            }
        }
    }
}
