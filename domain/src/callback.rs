//! Call-back requests (SPEC §2.3): the countries offered, the time windows a
//! person may choose, the request's life cycle and its reference number.
//! Plain Rust, shared by the page (select options) and the server.

use super::office_hours::{hhmm, CLOSES, MIDDAY, OPENS};
use super::stored::Stored;

/// Countries offered, with their Spanish names, in Spanish alphabetical order:
/// Ecuador and the countries where most Ecuadorians abroad live, then the
/// rest of the Americas and Europe. ISO 3166-1 alpha-2 codes.
pub const COUNTRIES: [(&str, &str); 32] = [
    ("DE", "Alemania"),
    ("AR", "Argentina"),
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("BE", "Bélgica"),
    ("BO", "Bolivia"),
    ("BR", "Brasil"),
    ("CA", "Canadá"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("EC", "Ecuador"),
    ("SV", "El Salvador"),
    ("ES", "España"),
    ("US", "Estados Unidos"),
    ("FR", "Francia"),
    ("GT", "Guatemala"),
    ("IT", "Italia"),
    ("JP", "Japón"),
    ("MX", "México"),
    ("NL", "Países Bajos"),
    ("PA", "Panamá"),
    ("PY", "Paraguay"),
    ("PE", "Perú"),
    ("PT", "Portugal"),
    ("GB", "Reino Unido"),
    ("DO", "República Dominicana"),
    ("SE", "Suecia"),
    ("CH", "Suiza"),
    ("UY", "Uruguay"),
];

/// The Spanish name of an offered country.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
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
    pub fn label_es(self) -> String {
        let when = match self {
            TimeWindow::Morning => "En la mañana",
            TimeWindow::Afternoon => "En la tarde",
            TimeWindow::Any => "A cualquier hora de atención",
        };
        let (from, to) = self.hours();
        format!("{when}, de {} a {} (hora de Ecuador)", hhmm(from), hhmm(to))
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

    pub fn label_es(self) -> &'static str {
        match self {
            CallbackStatus::Open => "Pendiente",
            CallbackStatus::Claimed => "Asignada",
            CallbackStatus::Contacted => "Contactada",
            CallbackStatus::Resolved => "Resuelta",
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

/// A staff note or reason, trimmed; refused when empty or too long.
pub fn staff_note(input: &str) -> Result<String, &'static str> {
    let note = input.trim();
    if note.chars().count() < 5 {
        Err("Escriba el motivo (al menos 5 caracteres).")
    } else if note.chars().count() > MAX_NOTE_CHARS {
        Err("El texto es demasiado largo: use como máximo 500 caracteres.")
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
        let names: Vec<&str> = COUNTRIES.iter().map(|(_, n)| *n).collect();
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
            assert!(country_name(code).is_some(), "{code}");
        }
        assert_eq!(country_name("XX"), None);
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
            TimeWindow::Morning.label_es(),
            "En la mañana, de 08:00 a 12:00 (hora de Ecuador)"
        );
        assert_eq!(
            TimeWindow::Afternoon.label_es(),
            "En la tarde, de 12:00 a 17:00 (hora de Ecuador)"
        );
        assert_eq!(
            TimeWindow::Any.label_es(),
            "A cualquier hora de atención, de 08:00 a 17:00 (hora de Ecuador)"
        );
        assert_eq!(
            crate::office_hours::hours_es(),
            "lunes a domingo, de 08:00 a 17:00 (hora de Ecuador)"
        );
    }

    #[test]
    fn notes_need_a_few_words_and_have_a_limit() {
        assert!(staff_note("   ").is_err());
        assert!(staff_note("ok").is_err());
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
