//! The two languages of every page, message and mail: Spanish as spoken in
//! Ecuador (the default) and English.
//!
//! Every text is written as a pair, Spanish first, where it is used:
//! `lang.pick("Correo electrónico", "E-mail address")`. A text without its
//! English twin does not compile, in the domain, the pages, the islands and
//! the mails alike; the WASM carries only the pairs its islands use.

use serde::{Deserialize, Serialize};

/// A language of the product.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Spanish (Ecuador).
    #[default]
    Es,
    /// English.
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    /// The text of this language: `es` or `en`.
    pub fn pick<T>(self, es: T, en: T) -> T {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag of `<html lang>` and `Content-Language`.
    pub fn tag(self) -> &'static str {
        self.pick("es-EC", "en")
    }

    /// The short code a cookie and the switch's button carry.
    pub fn code(self) -> &'static str {
        self.pick("es", "en")
    }

    /// The language of `code` (as [`Lang::code`] writes it); anything else is
    /// no language of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, in itself ("English" on a Spanish page).
    pub fn own_name(self) -> &'static str {
        self.pick("Español", "English")
    }

    /// The other language: where the switch leads.
    pub fn other(self) -> Lang {
        self.pick(Lang::En, Lang::Es)
    }

    /// The language a browser's `Accept-Language` header prefers among ours:
    /// the first of its ranges by weight (`q`, 1 when absent; 0 refuses) whose
    /// primary subtag is `es` or `en`; `*` or nothing ours is the default.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(u16, Lang)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1000), thousandths);
            let (Some(q), Some(lang)) = (q, Self::of_tag(tag)) else {
                continue;
            };
            // Equal weights keep the header's order (RFC 9110 §12.5.4 leaves
            // it to the server; browsers list the preferred first).
            if q > 0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// Ours, for a language tag: by its primary subtag, any region.
    fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::from_code(&primary)
    }
}

/// A text in both languages, where it must be a value (a table's entry, a
/// constant): `Text { es: "Volver", en: "Back" }.get(lang)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub es: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.es, self.en)
    }
}

/// A weight ("0.8", "1", "1.000") in thousandths; `None` when it is none.
fn thousandths(q: &str) -> Option<u16> {
    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(frac),
        "1" if frac == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_ours_by_weight() {
        // (header, expected): written by hand from RFC 9110 §12.5.4.
        let cases = [
            ("", Lang::Es),
            ("*", Lang::Es),
            ("en", Lang::En),
            ("en-US,en;q=0.9", Lang::En),
            ("es-EC,es;q=0.9,en;q=0.8", Lang::Es),
            ("fr-FR,fr;q=0.9,en-GB;q=0.8,es;q=0.7", Lang::En),
            ("de, es;q=0.5, en;q=0.6", Lang::En),
            ("en;q=0, es;q=0.1", Lang::Es),
            ("en;q=0", Lang::Es),
            ("EN-us", Lang::En),
            ("en;q=2", Lang::Es),
            ("en;q=0.1234", Lang::Es),
            ("en;q=abc, es", Lang::Es),
            ("pt-BR, en;q=0.5, es;q=0.5", Lang::En),
            ("fr", Lang::Es),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::from_accept_language(header), want, "{header:?}");
        }
    }

    #[test]
    fn codes_round_trip_and_nothing_else_is_a_language() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
            assert_ne!(l.other(), l);
        }
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code("EN"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
