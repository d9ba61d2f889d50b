//! Call-back requests (SPEC §2.3): the countries offered, the time windows a
//! person may choose, the request's life cycle and its reference number.
//! Plain Rust, shared by the page (select options) and the server.

use super::office_hours::{hhmm, CLOSES, MIDDAY, OPENS};
use super::stored::Stored;
use crate::lang::{Lang, Text};

/// Countries offered, with their Spanish and English names, in Spanish
/// alphabetical order: Ecuador and the countries where most Ecuadorians abroad
/// live, then the rest of the Americas and Europe. ISO 3166-1 alpha-2 codes.
pub const COUNTRIES: [(&str, Text); 32] = [
    (
        "DE",
        Text {
            es: "Alemania",
            en: "Germany",
        },
    ),
    (
        "AR",
        Text {
            es: "Argentina",
            en: "Argentina",
        },
    ),
    (
        "AU",
        Text {
            es: "Australia",
            en: "Australia",
        },
    ),
    (
        "AT",
        Text {
            es: "Austria",
            en: "Austria",
        },
    ),
    (
        "BE",
        Text {
            es: "Bélgica",
            en: "Belgium",
        },
    ),
    (
        "BO",
        Text {
            es: "Bolivia",
            en: "Bolivia",
        },
    ),
    (
        "BR",
        Text {
            es: "Brasil",
            en: "Brazil",
        },
    ),
    (
        "CA",
        Text {
            es: "Canadá",
            en: "Canada",
        },
    ),
    (
        "CL",
        Text {
            es: "Chile",
            en: "Chile",
        },
    ),
    (
        "CN",
        Text {
            es: "China",
            en: "China",
        },
    ),
    (
        "CO",
        Text {
            es: "Colombia",
            en: "Colombia",
        },
    ),
    (
        "CR",
        Text {
            es: "Costa Rica",
            en: "Costa Rica",
        },
    ),
    (
        "CU",
        Text {
            es: "Cuba",
            en: "Cuba",
        },
    ),
    (
        "EC",
        Text {
            es: "Ecuador",
            en: "Ecuador",
        },
    ),
    (
        "SV",
        Text {
            es: "El Salvador",
            en: "El Salvador",
        },
    ),
    (
        "ES",
        Text {
            es: "España",
            en: "Spain",
        },
    ),
    (
        "US",
        Text {
            es: "Estados Unidos",
            en: "United States",
        },
    ),
    (
        "FR",
        Text {
            es: "Francia",
            en: "France",
        },
    ),
    (
        "GT",
        Text {
            es: "Guatemala",
            en: "Guatemala",
        },
    ),
    (
        "IT",
        Text {
            es: "Italia",
            en: "Italy",
        },
    ),
    (
        "JP",
        Text {
            es: "Japón",
            en: "Japan",
        },
    ),
    (
        "MX",
        Text {
            es: "México",
            en: "Mexico",
        },
    ),
    (
        "NL",
        Text {
            es: "Países Bajos",
            en: "Netherlands",
        },
    ),
    (
        "PA",
        Text {
            es: "Panamá",
            en: "Panama",
        },
    ),
    (
        "PY",
        Text {
            es: "Paraguay",
            en: "Paraguay",
        },
    ),
    (
        "PE",
        Text {
            es: "Perú",
            en: "Peru",
        },
    ),
    (
        "PT",
        Text {
            es: "Portugal",
            en: "Portugal",
        },
    ),
    (
        "GB",
        Text {
            es: "Reino Unido",
            en: "United Kingdom",
        },
    ),
    (
        "DO",
        Text {
            es: "República Dominicana",
            en: "Dominican Republic",
        },
    ),
    (
        "SE",
        Text {
            es: "Suecia",
            en: "Sweden",
        },
    ),
    (
        "CH",
        Text {
            es: "Suiza",
            en: "Switzerland",
        },
    ),
    (
        "UY",
        Text {
            es: "Uruguay",
            en: "Uruguay",
        },
    ),
];

/// The name of an offered country, in `lang`.
pub fn country_name(code: &str, lang: Lang) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| name.get(lang))
}

/// The offered countries as `(code, name)`, in the alphabetical order of
/// `lang`'s names (a select's options).
pub fn countries(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<(&'static str, &'static str)> = COUNTRIES
        .iter()
        .map(|(code, name)| (*code, name.get(lang)))
        .collect();
    // The table is in Spanish order already (accents folded); the English
    // names are plain ASCII.
    if lang == Lang::En {
        list.sort_by_key(|(_, name)| *name);
    }
    list
}

/// When the person would like to be called, in Ecuador time (office hours
/// are 08:00–17:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeWindow {
    Morning,
    Afternoon,
    Any,
}

impl Stored for TimeWindow {
    const COLUMN: &'static str = "callback_request.time_window";
    const VALUES: &'static [Self] = &TimeWindow::ALL;

    fn stored(self) -> &'static str {
        self.as_str()
    }
}

impl TimeWindow {
    pub const ALL: [TimeWindow; 3] = [TimeWindow::Morning, TimeWindow::Afternoon, TimeWindow::Any];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeWindow::Morning => "morning",
            TimeWindow::Afternoon => "afternoon",
            TimeWindow::Any => "any",
        }
    }

    pub fn parse(s: &str) -> Option<TimeWindow> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// When the call may come, in Ecuador clock time.
    pub fn hours(self) -> ((u32, u32), (u32, u32)) {
        match self {
            TimeWindow::Morning => (OPENS, MIDDAY),
            TimeWindow::Afternoon => (MIDDAY, CLOSES),
            TimeWindow::Any => (OPENS, CLOSES),
        }
    }

    /// "En la mañana, de 08:00 a 12:00 (hora de Ecuador)".
    pub fn label(self, lang: Lang) -> String {
        let when = match self {
            TimeWindow::Morning => lang.pick("En la mañana", "In the morning"),
            TimeWindow::Afternoon => lang.pick("En la tarde", "In the afternoon"),
            TimeWindow::Any => lang.pick(
                "A cualquier hora de atención",
                "Any time during opening hours",
            ),
        };
        let (from, to) = self.hours();
        let (from, to) = (hhmm(from), hhmm(to));
        lang.pick(
            format!("{when}, de {from} a {to} (hora de Ecuador)"),
            format!("{when}, {from} to {to} (Ecuador time)"),
        )
    }
}

/// Where a request is in the contact centre's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CallbackStatus {
    Open,
    Claimed,
    Contacted,
    Resolved,
}

/// What staff do to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackAction {
    Claim,
    MarkContacted,
    Resolve,
    /// Back to the queue, e.g. when whoever took it is away (supervisors).
    Release,
}

impl Stored for CallbackStatus {
    const COLUMN: &'static str = "callback_request.status";
    const VALUES: &'static [Self] = &CallbackStatus::ALL;

    fn stored(self) -> &'static str {
        self.as_str()
    }
}

impl CallbackStatus {
    pub const ALL: [CallbackStatus; 4] = [
        CallbackStatus::Open,
        CallbackStatus::Claimed,
        CallbackStatus::Contacted,
        CallbackStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::Open => "open",
            CallbackStatus::Claimed => "claimed",
            CallbackStatus::Contacted => "contacted",
            CallbackStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<CallbackStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CallbackStatus::Open => lang.pick("Pendiente", "Pending"),
            CallbackStatus::Claimed => lang.pick("Asignada", "Assigned"),
            CallbackStatus::Contacted => lang.pick("Contactada", "Contacted"),
            CallbackStatus::Resolved => lang.pick("Resuelta", "Resolved"),
        }
    }

    /// The status after `action`, when it is allowed: claim an open request,
    /// mark a claimed one contacted, resolve a claimed or contacted one (a
    /// call can settle it at once). A resolved request is closed for good.
    pub fn after(self, action: CallbackAction) -> Option<CallbackStatus> {
        use CallbackAction as A;
        use CallbackStatus as S;
        match (self, action) {
            (S::Open, A::Claim) => Some(S::Claimed),
            (S::Claimed, A::MarkContacted) => Some(S::Contacted),
            (S::Claimed | S::Contacted, A::Resolve) => Some(S::Resolved),
            (S::Claimed | S::Contacted, A::Release) => Some(S::Open),
            _ => None,
        }
    }
}

/// Letters and digits that cannot be misread over the phone (no 0/O, 1/I/L).
const REFERENCE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The reference number given to the person, e.g. `CB-7K4M-Q2XP`, from eight
/// random bytes (about 39 bits: not guessable, short enough to read aloud).
pub fn reference_from(random: [u8; 8]) -> String {
    let chars: String = random
        .iter()
        .map(|b| REFERENCE_ALPHABET[*b as usize % REFERENCE_ALPHABET.len()] as char)
        .collect();
    format!("CB-{}-{}", &chars[..4], &chars[4..])
}

/// A reference as staff may type it (any case, spaces or hyphens), in its
/// stored form; `None` when it cannot be one.
pub fn normalise_reference(input: &str) -> Option<String> {
    let chars: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    let body = chars.strip_prefix("CB").unwrap_or(&chars);
    (body.len() == 8 && body.bytes().all(|b| REFERENCE_ALPHABET.contains(&b)))
        .then(|| format!("CB-{}-{}", &body[..4], &body[4..]))
}

/// The most a note or a reason may hold.
pub const MAX_NOTE_CHARS: usize = 500;

/// A staff note or reason, trimmed; refused, with the message that says why,
/// when empty or too long.
pub fn staff_note(input: &str) -> Result<String, Text> {
    let note = input.trim();
    if note.chars().count() < 5 {
        Err(Text {
            es: "Escriba el motivo (al menos 5 caracteres).",
            en: "Enter the reason (at least 5 characters).",
        })
    } else if note.chars().count() > MAX_NOTE_CHARS {
        Err(Text {
            es: "El texto es demasiado largo: use como máximo 500 caracteres.",
            en: "The text is too long: use 500 characters at most.",
        })
    } else {
        Ok(note.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn countries_are_sorted_unique_and_include_where_ecuadorians_live() {
        let names: Vec<&str> = COUNTRIES.iter().map(|(_, n)| n.es).collect();
        let key = |n: &str| {
            n.chars()
                .map(|c| match c {
                    'á' => 'a',
                    'é' => 'e',
                    'í' => 'i',
                    'ó' => 'o',
                    'ú' => 'u',
                    c => c,
                })
                .collect::<String>()
        };
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| key(n));
        assert_eq!(names, sorted);
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len());
        for code in ["EC", "ES", "US", "IT"] {
            assert!(country_name(code, Lang::Es).is_some(), "{code}");
        }
        assert_eq!(country_name("XX", Lang::Es), None);
        assert_eq!(country_name("ES", Lang::Es), Some("España"));
        assert_eq!(country_name("ES", Lang::En), Some("Spain"));
        assert_eq!(country_name("DE", Lang::En), Some("Germany"));
    }

    #[test]
    fn each_language_lists_the_same_countries_in_its_own_order() {
        let spanish = countries(Lang::Es);
        assert_eq!(spanish[0], ("DE", "Alemania"));
        assert_eq!(spanish.len(), COUNTRIES.len());
        let english = countries(Lang::En);
        // By hand: the first and last in English.
        assert_eq!(english[0], ("AR", "Argentina"));
        assert_eq!(english[english.len() - 1], ("UY", "Uruguay"));
        assert!(english.windows(2).all(|w| w[0].1 < w[1].1));
        let mut a: Vec<&str> = spanish.iter().map(|(c, _)| *c).collect();
        let mut b: Vec<&str> = english.iter().map(|(c, _)| *c).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn the_queue_moves_forward_only() {
        use CallbackAction as A;
        use CallbackStatus as S;
        assert_eq!(S::Open.after(A::Claim), Some(S::Claimed));
        assert_eq!(S::Claimed.after(A::MarkContacted), Some(S::Contacted));
        assert_eq!(S::Claimed.after(A::Resolve), Some(S::Resolved));
        assert_eq!(S::Contacted.after(A::Resolve), Some(S::Resolved));
        assert_eq!(S::Claimed.after(A::Release), Some(S::Open));
        assert_eq!(S::Contacted.after(A::Release), Some(S::Open));
        assert_eq!(S::Open.after(A::Release), None);
        assert_eq!(S::Open.after(A::Resolve), None);
        assert_eq!(S::Open.after(A::MarkContacted), None);
        assert_eq!(S::Claimed.after(A::Claim), None);
        for action in [A::Claim, A::MarkContacted, A::Resolve, A::Release] {
            assert_eq!(S::Resolved.after(action), None);
        }
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        for w in TimeWindow::ALL {
            assert_eq!(TimeWindow::parse(w.as_str()), Some(w));
        }
        assert_eq!(TimeWindow::parse("noche"), None);
    }

    #[test]
    fn windows_read_from_the_office_hours() {
        // As SPEC §2.3 gives the hours, written out by hand.
        assert_eq!(
            TimeWindow::Morning.label(Lang::Es),
            "En la mañana, de 08:00 a 12:00 (hora de Ecuador)"
        );
        assert_eq!(
            TimeWindow::Afternoon.label(Lang::Es),
            "En la tarde, de 12:00 a 17:00 (hora de Ecuador)"
        );
        assert_eq!(
            TimeWindow::Any.label(Lang::Es),
            "A cualquier hora de atención, de 08:00 a 17:00 (hora de Ecuador)"
        );
        assert_eq!(
            crate::office_hours::hours(Lang::Es),
            "lunes a domingo, de 08:00 a 17:00 (hora de Ecuador)"
        );
        assert_eq!(
            TimeWindow::Morning.label(Lang::En),
            "In the morning, 08:00 to 12:00 (Ecuador time)"
        );
        assert_eq!(
            TimeWindow::Any.label(Lang::En),
            "Any time during opening hours, 08:00 to 17:00 (Ecuador time)"
        );
        assert_eq!(
            crate::office_hours::hours(Lang::En),
            "Monday to Sunday, 08:00 to 17:00 (Ecuador time)"
        );
        assert_eq!(CallbackStatus::Claimed.label(Lang::Es), "Asignada");
        assert_eq!(CallbackStatus::Claimed.label(Lang::En), "Assigned");
    }

    #[test]
    fn notes_need_a_few_words_and_have_a_limit() {
        assert!(staff_note("   ").is_err());
        assert_eq!(
            staff_note("ok").map_err(|m| m.get(Lang::Es)),
            Err("Escriba el motivo (al menos 5 caracteres).")
        );
        assert_eq!(
            staff_note("ok").map_err(|m| m.get(Lang::En)),
            Err("Enter the reason (at least 5 characters).")
        );
        assert_eq!(
            staff_note("  Llamada hecha, identidad confirmada ").as_deref(),
            Ok("Llamada hecha, identidad confirmada")
        );
        assert!(staff_note(&"a".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert!(staff_note(&"ñ".repeat(MAX_NOTE_CHARS)).is_ok());
    }

    proptest! {
        #[test]
        fn references_read_back_however_they_are_typed(random in any::<[u8; 8]>()) {
            let reference = reference_from(random);
            prop_assert_eq!(reference.len(), 12);
            prop_assert_eq!(normalise_reference(&reference), Some(reference.clone()));
            let typed = reference.to_lowercase().replace('-', " ");
            prop_assert_eq!(normalise_reference(&typed), Some(reference));
        }

        #[test]
        fn normalising_any_text_never_panics(input in "\\PC{0,40}") {
            if let Some(r) = normalise_reference(&input) {
                prop_assert_eq!(normalise_reference(&r), Some(r.clone()));
            }
        }
    }
}
