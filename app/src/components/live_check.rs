//! Live checks of what the form alone can tell: a cédula's shape and check
//! digit, a birth date that can exist. An island: when the person leaves a
//! field it checks the fields already left, with the same rules and words as
//! the server, and says what is wrong in a polite live region. It sits after
//! the form's button, so a message appearing as a field is left never moves
//! the button or the next field out from under the pointer. Submitting still goes to the server, which checks everything again;
//! without JavaScript nothing here runs.

use crate::lang::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which fields a live check reads, and by which rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// The `cedula` field.
    Cedula,
    /// The `day` and `month` fields (recuperar clave).
    DayMonth,
    /// `day`, `month` and `year` (solicitar clave).
    FullDate,
}

impl Rule {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn fields(self) -> &'static [&'static str] {
        use crate::domain::birthdate::{DAY, MONTH, YEAR};
        match self {
            Rule::Cedula => &["cedula"],
            Rule::DayMonth => &[DAY, MONTH],
            Rule::FullDate => &[DAY, MONTH, YEAR],
        }
    }

    /// The problems of the fields in `left` (already left by the person),
    /// given every field's value, in `lang`.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn problems(
        self,
        value: impl Fn(&str) -> String,
        left: &[&str],
        this_year: i32,
        lang: Lang,
    ) -> Vec<String> {
        use crate::domain::birthdate::{parse_day_month, parse_full_date, DAY, MONTH, YEAR};
        let found = match self {
            Rule::Cedula => {
                let typed = value("cedula");
                if typed.trim().is_empty() {
                    return Vec::new();
                }
                return crate::domain::cedula::Cedula::parse(&typed)
                    .err()
                    .map(|e| e.message(lang).to_owned())
                    .into_iter()
                    .collect();
            }
            Rule::DayMonth => parse_day_month(&value(DAY), &value(MONTH)).err(),
            Rule::FullDate => {
                parse_full_date(&value(DAY), &value(MONTH), &value(YEAR), this_year).err()
            }
        };
        found
            .unwrap_or_default()
            .into_iter()
            .filter(|p| left.contains(&p.field))
            .map(|p| p.message.get(lang).to_owned())
            .collect()
    }
}

#[island]
pub fn LiveCheck(rule: Rule) -> impl IntoView {
    let l = crate::lang::lang();
    let message = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    {
        let left = StoredValue::new(Vec::<&'static str>::new());
        let handle = window_event_listener(leptos::ev::change, move |ev| {
            use wasm_bindgen::JsCast;
            let Some(id) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|e| e.id())
            else {
                return;
            };
            let Some(field) = rule.fields().iter().find(|f| **f == id) else {
                return;
            };
            left.update_value(|l| {
                if !l.contains(field) {
                    l.push(field);
                }
            });
            let this_year = js_sys::Date::new_0().get_full_year() as i32;
            let problems = left.with_value(|done| rule.problems(value_of, done, this_year, l));
            message.set((!problems.is_empty()).then(|| problems.join(" ")));
        });
        // Listens for the page's whole life.
        std::mem::forget(handle);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (rule, l);
    view! {
        <p class="error-message live-check" aria-live="polite">
            {move || {
                message
                    .get()
                    .map(|m| {
                        view! {
                            <span class="visually-hidden">"Error: "</span>
                            {m}
                        }
                    })
            }}
        </p>
    }
}

/// The current value of input `id`.
#[cfg(feature = "hydrate")]
fn value_of(id: &str) -> String {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|e| e.value())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |id| {
            pairs
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        }
    }

    #[test]
    fn only_the_fields_already_left_are_judged() {
        let typed = [("day", "32"), ("month", "")];
        assert_eq!(
            Rule::DayMonth.problems(values(&typed), &["day"], 2026, Lang::Es),
            vec!["El día debe ser un número del 1 al 31.".to_owned()]
        );
        assert_eq!(
            Rule::DayMonth.problems(values(&typed), &["day", "month"], 2026, Lang::Es),
            vec![
                "El día debe ser un número del 1 al 31.".to_owned(),
                "Escriba el mes en que nació.".to_owned()
            ]
        );
        let leap = [("day", "29"), ("month", "2"), ("year", "1961")];
        assert_eq!(
            Rule::FullDate.problems(values(&leap), &["day", "month"], 2026, Lang::Es),
            vec!["Ese año febrero tuvo 28 días. Revise el día.".to_owned()]
        );
    }

    #[test]
    fn a_cedula_is_judged_once_typed_with_the_servers_words() {
        assert!(Rule::Cedula
            .problems(values(&[("cedula", "  ")]), &["cedula"], 2026, Lang::Es)
            .is_empty());
        assert!(Rule::Cedula
            .problems(
                values(&[("cedula", "1714307103")]),
                &["cedula"],
                2026,
                Lang::Es
            )
            .is_empty());
        assert_eq!(
            Rule::Cedula.problems(
                values(&[("cedula", "1714307104")]),
                &["cedula"],
                2026,
                Lang::Es
            ),
            vec![crate::domain::cedula::CedulaError::CheckDigit
                .message(Lang::Es)
                .to_owned()]
        );
    }
}
