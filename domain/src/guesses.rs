//! How many guesses someone who guesses in Spanish needs for a clave: the
//! common-password rule of SPEC §4.3 for the claves people here choose
//! ("Contraseña2024", "quito2024quito", "Dios te ama 123"), which zxcvbn's
//! English dictionaries miss.
//!
//! A clave is read as runs of letters, digits, spaces and other symbols.
//! Letters are folded (lower case, Spanish accents dropped, "ñ" as "n").
//! Each run is priced, and the prices multiply:
//! - letters: split into words the cheapest way; a word costs its rank in the
//!   lists of `domain/data` (the lowest rank of any list) or 26 per letter
//!   when that is cheaper or it is in no list; a capital that starts the
//!   run doubles, any other capital multiplies by the run's length, all
//!   capitals double once;
//! - digits: a year from 1900 to 2099 costs 200, one digit repeated or a
//!   step-by-one run ("1234", "987") 10 per digit, anything else 10 per
//!   digit multiplied;
//! - symbols: 33 each (100 outside ASCII), 2 when it repeats the one before;
//!   spaces cost nothing;
//! - a run that repeats an earlier one costs 2.
//!
//! The clave is read a second time with leetspeak undone ("c0ntr4seña"),
//! for twice the price; the cheaper reading counts. Below [`COMMON_BELOW`]
//! guesses a clave is common: the bound under which zxcvbn scores 2 or less,
//! which the server also applies with its English lists.
//!
//! The browser carries only the head of each list ([`Lists::hint`], cut by
//! `domain/build.rs`) and prices every other word at the rank just after the
//! heads, which no list can give it for less: its estimate is never more
//! than the server's, so the hint never calls strong a clave the server
//! refuses here.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Fewer guesses than this is common (zxcvbn's scores 0 to 2 end here).
pub const COMMON_BELOW: f64 = 1e8;

/// No word in the lists is longer: the longest split ever needed.
pub const LONGEST_WORD: usize = 24;

/// The lists whole (server only), their heads and the lowest rank of a word
/// outside the heads: written by `domain/build.rs` from `domain/data`.
mod lists {
    include!(concat!(env!("OUT_DIR"), "/lists.rs"));
}

/// Ranked word lists, folded: a word's rank is its lowest line number.
pub struct Lists {
    ranks: HashMap<&'static str, u32>,
    /// The hint's lower bound for any word it does not hold; the server
    /// holds every list whole and has none.
    beyond: Option<u32>,
}

/// An estimate, as a power of ten.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub log10: f64,
    /// False when a word outside the hint's heads was priced at their bound:
    /// the server's figure may then be higher.
    pub exact: bool,
}

impl Estimate {
    pub fn is_common(&self) -> bool {
        self.log10 < COMMON_BELOW.log10()
    }
}

impl Lists {
    fn new(lists: &[&'static str], beyond: Option<u32>) -> Lists {
        let mut ranks = HashMap::new();
        for list in lists {
            for (word, rank) in list.lines().zip(1..) {
                ranks
                    .entry(word)
                    .and_modify(|r: &mut u32| *r = (*r).min(rank))
                    .or_insert(rank);
            }
        }
        Lists { ranks, beyond }
    }

    #[cfg(feature = "server")]
    /// Every list, whole: the server's verdict.
    pub fn server() -> &'static Lists {
        static LISTS: OnceLock<Lists> = OnceLock::new();
        LISTS.get_or_init(|| Lists::new(&lists::WHOLE, None))
    }

    /// The heads of the lists, light enough for the browser's hint.
    pub fn hint() -> &'static Lists {
        static LISTS: OnceLock<Lists> = OnceLock::new();
        LISTS.get_or_init(|| Lists::new(&lists::HEADS, Some(lists::BEYOND)))
    }

    /// The estimate for a clave in NFKC form.
    pub fn estimate(&self, normalised: &str) -> Estimate {
        let plain = self.price(&read(normalised, false));
        let unleeted = read(normalised, true);
        if unleeted.iter().any(|r| r.unleeted) {
            let leet = self.price(&unleeted);
            let leet = Estimate {
                log10: leet.log10 + 2f64.log10(),
                ..leet
            };
            if leet.log10 < plain.log10 {
                return leet;
            }
        }
        plain
    }

    fn price(&self, runs: &[Run]) -> Estimate {
        let mut total = Estimate {
            log10: 0.0,
            exact: true,
        };
        for (i, run) in runs.iter().enumerate() {
            let own = self.run_cost(run);
            let repeated = runs[..i]
                .iter()
                .any(|r| r.kind == run.kind && r.text == run.text);
            let cost = if repeated && own.log10 > 2f64.log10() {
                Estimate {
                    log10: 2f64.log10(),
                    exact: true,
                }
            } else {
                own
            };
            total.log10 += cost.log10;
            total.exact &= cost.exact;
        }
        total
    }

    fn run_cost(&self, run: &Run) -> Estimate {
        let exact = |log10| Estimate { log10, exact: true };
        match run.kind {
            Kind::Letters => {
                let words = self.split(&run.text);
                let len = run.text.len() as f64;
                let case = if run.capitals > 0 && run.capitals == run.text.len() {
                    2f64.log10()
                } else {
                    let inside = run.capitals - usize::from(run.first_capital);
                    f64::from(u8::from(run.first_capital)) * 2f64.log10()
                        + inside as f64 * len.log10()
                };
                Estimate {
                    log10: words.log10 + case,
                    ..words
                }
            }
            Kind::Digits => exact(digits_cost(run.text.as_bytes())),
            Kind::Spaces => exact(0.0),
            Kind::Symbols => {
                let chars: Vec<char> = run.text.chars().collect();
                exact(
                    chars
                        .iter()
                        .enumerate()
                        .map(|(i, c)| match c {
                            _ if i > 0 && chars[i - 1] == *c => 2f64.log10(),
                            c if c.is_ascii() => 33f64.log10(),
                            _ => 2.0,
                        })
                        .sum(),
                )
            }
        }
    }

    /// The cheapest split of folded letters into words and single letters.
    fn split(&self, letters: &str) -> Estimate {
        let n = letters.len();
        let mut best = vec![
            Estimate {
                log10: f64::INFINITY,
                exact: true,
            };
            n + 1
        ];
        best[0].log10 = 0.0;
        for end in 1..=n {
            for start in end.saturating_sub(LONGEST_WORD)..end {
                let piece = self.piece_cost(&letters[start..end]);
                let log10 = best[start].log10 + piece.log10;
                if log10 < best[end].log10 || (log10 == best[end].log10 && piece.exact) {
                    best[end] = Estimate {
                        log10,
                        exact: best[start].exact && piece.exact,
                    };
                }
            }
        }
        best[n]
    }

    fn piece_cost(&self, piece: &str) -> Estimate {
        let spelled = piece.len() as f64 * 26f64.log10();
        // The hint cannot know a rank beyond its heads; the server's may be
        // anything from `beyond` on, so it counts `beyond`, never more.
        let ranked = match (self.ranks.get(piece), self.beyond) {
            (Some(&rank), Some(beyond)) if rank > beyond => Some((beyond, false)),
            (Some(&rank), _) => Some((rank, true)),
            (None, Some(beyond)) => Some((beyond, false)),
            (None, None) => None,
        };
        match ranked {
            Some((rank, exact)) if f64::from(rank).log10() < spelled => Estimate {
                log10: f64::from(rank).log10(),
                exact,
            },
            _ => Estimate {
                log10: spelled,
                exact: true,
            },
        }
    }
}

fn digits_cost(digits: &[u8]) -> f64 {
    let len = digits.len();
    let value = std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse::<u32>().ok());
    let steps: Vec<i16> = digits
        .windows(2)
        .map(|w| i16::from(w[1]) - i16::from(w[0]))
        .collect();
    let one_way = |step: i16| steps.iter().all(|&s| s == step);
    if len == 4 && value.is_some_and(|y| (1900..=2099).contains(&y)) {
        200f64.log10()
    } else if len >= 2 && (one_way(0) || one_way(1) || one_way(-1)) {
        (10.0 * len as f64).log10()
    } else {
        len as f64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Letters,
    Digits,
    Spaces,
    Symbols,
}

/// A run of folded characters of one kind.
#[derive(Debug)]
struct Run {
    kind: Kind,
    text: String,
    /// Capitals in the run, and whether its first letter is one.
    capitals: usize,
    first_capital: bool,
    unleeted: bool,
}

/// The folded letter, whether it was a capital, and whether it was a digit
/// or symbol read as a letter.
fn fold(c: char, leet: bool) -> (Kind, char, bool, bool) {
    let letter = |l: char, capital: bool| (Kind::Letters, l, capital, false);
    match c {
        'a'..='z' => letter(c, false),
        'A'..='Z' => letter(c.to_ascii_lowercase(), true),
        'á' | 'à' | 'ä' | 'â' => letter('a', false),
        'Á' | 'À' | 'Ä' | 'Â' => letter('a', true),
        'é' | 'è' | 'ë' | 'ê' => letter('e', false),
        'É' | 'È' | 'Ë' | 'Ê' => letter('e', true),
        'í' | 'ì' | 'ï' | 'î' => letter('i', false),
        'Í' | 'Ì' | 'Ï' | 'Î' => letter('i', true),
        'ó' | 'ò' | 'ö' | 'ô' => letter('o', false),
        'Ó' | 'Ò' | 'Ö' | 'Ô' => letter('o', true),
        'ú' | 'ù' | 'ü' | 'û' => letter('u', false),
        'Ú' | 'Ù' | 'Ü' | 'Û' => letter('u', true),
        'ñ' => letter('n', false),
        'Ñ' => letter('n', true),
        '0' | '1' | '3' | '4' | '5' | '7' | '@' | '$' if leet => {
            let l = match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                _ => 't',
            };
            (Kind::Letters, l, false, true)
        }
        '0'..='9' => (Kind::Digits, c, false, false),
        c if c.is_whitespace() => (Kind::Spaces, ' ', false, false),
        _ => (Kind::Symbols, c, false, false),
    }
}

/// The clave as runs of one kind each.
fn read(normalised: &str, leet: bool) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for c in normalised.chars() {
        let (kind, folded, capital, unleeted) = fold(c, leet);
        let word_start = runs.last().map(|r| r.kind) != Some(kind);
        if word_start {
            runs.push(Run::of(kind, String::new()));
        }
        if let Some(run) = runs.last_mut() {
            run.text.push(folded);
            run.capitals += usize::from(capital);
            run.first_capital |= capital && word_start;
            run.unleeted |= unleeted;
        }
    }
    runs
}

impl Run {
    fn of(kind: Kind, text: String) -> Run {
        Run {
            kind,
            text,
            capitals: 0,
            first_capital: false,
            unleeted: false,
        }
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn guesses(clave: &str) -> f64 {
        10f64.powf(Lists::server().estimate(clave).log10)
    }

    /// Within rounding of a hand-computed product.
    fn about(clave: &str, expected: f64) {
        let got = guesses(clave);
        assert!(
            (got / expected - 1.0).abs() < 1e-9,
            "{clave}: {got} guesses, by hand {expected}"
        );
    }

    #[test]
    fn prices_match_a_hand_count_from_the_lists_line_numbers() {
        // "quito" is line 5 of ecuador.txt; 2024 a year; the second quito a repeat.
        about("quito2024quito", 5.0 * 200.0 * 2.0);
        // "contrasena" line 2 of ecuador.txt, a capital first; a year.
        about("Contraseña2024", 2.0 * 2.0 * 200.0);
        // "ecuador" line 4, a capital first; a year; "!" and "!" again.
        about("Ecuador2024!!", 4.0 * 2.0 * 200.0 * 33.0 * 2.0);
        // "dios" line 18 of ecuador.txt, a capital first; "te" and "ama"
        // lines 17 and 1317 of palabras.txt; spaces are free; "123" a
        // step-by-one run.
        about("Dios te ama 123", 18.0 * 2.0 * 17.0 * 1317.0 * 30.0);
        // All capitals double once; "hola" is line 50 of palabras.txt.
        about("HOLA", 50.0 * 2.0);
        // A capital inside a word: times the run's length ("micontrasena",
        // 12 letters); "mi" is line 18 of palabras.txt; one digit: 10.
        about("MiContraseña1", 18.0 * 2.0 * 2.0 * 12.0 * 10.0);
        // Leet undone: "c0ntr4seña" read as "contrasena", twice the price.
        about("c0ntr4seña", 2.0 * 2.0);
        // Digits nobody predicts: ten per digit.
        about("83920174", 1e8);
    }

    #[test]
    fn the_spanish_claves_people_choose_are_common() {
        for clave in [
            "Contraseña2024",
            "contraseña123",
            "Ecuador2024!!",
            "quito2024quito",
            "Dios te ama 123",
            "Guayaquil2025!",
            "teamo12345678",
            "Barcelona1925",
            "MiContraseña1",
            "bienvenido123",
            "Jesucristo2024",
            "familia garcia 2024",
            "C0ntr4señ4",
        ] {
            assert!(
                Lists::server().estimate(clave).is_common(),
                "{clave}: {} guesses",
                guesses(clave)
            );
        }
    }

    #[test]
    fn passphrases_of_unrelated_words_are_not_common() {
        for clave in [
            "faro lejano junto al Chimborazo",
            "tortuga azul come mangos 1987",
            "Cuatro gatos bailan en Cuenca",
            "cielo claro sobre el Cotopaxi",
            "una clave nueva y larga",
        ] {
            assert!(
                !Lists::server().estimate(clave).is_common(),
                "{clave}: {} guesses",
                guesses(clave)
            );
        }
    }

    #[test]
    fn every_list_holds_folded_words_once_each() {
        for (list, head) in lists::WHOLE.iter().zip(lists::HEADS) {
            let mut seen = std::collections::HashSet::new();
            for word in list.lines() {
                assert!(
                    (2..=LONGEST_WORD).contains(&word.len())
                        && word.bytes().all(|b| b.is_ascii_lowercase()),
                    "not a folded word: {word:?}"
                );
                assert!(seen.insert(word), "twice: {word}");
            }
            assert!(list.starts_with(head), "a head is the start of its list");
        }
    }

    /// Claves made of listed words (some beyond the hint's heads), digits,
    /// symbols, spaces, capitals and leetspeak.
    fn clave() -> impl Strategy<Value = String> {
        let words: Vec<&'static str> = lists::WHOLE
            .iter()
            .flat_map(|l| l.lines().step_by(97).take(200))
            .collect();
        let piece = prop_oneof![
            proptest::sample::select(words.clone()).prop_map(str::to_owned),
            proptest::sample::select(words).prop_map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }),
            "[0-9]{1,6}",
            "[ !.@$_-]{1,2}",
            "[a-zA-Zñá0-9]{1,4}",
        ];
        proptest::collection::vec(piece, 1..6).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn the_hint_never_prices_a_clave_above_the_server(clave in clave()) {
            let (hint, server) = (Lists::hint().estimate(&clave), Lists::server().estimate(&clave));
            prop_assert!(hint.log10 <= server.log10 + 1e-9, "{hint:?} > {server:?}");
            if hint.exact {
                prop_assert!((hint.log10 - server.log10).abs() < 1e-9, "{hint:?} ≠ {server:?}");
            }
        }
    }
}
