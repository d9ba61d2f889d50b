//! Choosing the four security questions when the first clave is requested
//! (SPEC §2.2): four **different** questions from the catalogue, each with an
//! answer that is neither empty nor the same as another answer. Answers are
//! compared normalised (SPEC §3), as they will be stored.

#[cfg(feature = "server")]
use super::answer::normalise;
#[cfg(feature = "server")]
use crate::lang::Lang;

/// How many questions an affiliate chooses.
pub const TO_CHOOSE: usize = 4;
/// Shortest and longest normalised answer.
pub const MIN_ANSWER_CHARS: usize = 2;
pub const MAX_ANSWER_CHARS: usize = 80;

/// Form field names of the four choices: the question selects and the answers
/// (the recovery's answer fields use the same names).
pub const QUESTION_FIELDS: [&str; TO_CHOOSE] = ["pregunta1", "pregunta2", "pregunta3", "pregunta4"];
pub const ANSWER_FIELDS: [&str; TO_CHOOSE] =
    ["respuesta1", "respuesta2", "respuesta3", "respuesta4"];

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceProblem {
    pub field: String,
    pub message: String,
}

#[cfg(feature = "server")]
/// Checks the four `(question id as typed, answer)` pairs against the
/// `catalogue` of active question ids; returns `(question id, answer)` pairs,
/// or the problems in `lang`.
pub fn check_choice(
    picks: &[(String, String)],
    catalogue: &[i32],
    lang: Lang,
) -> Result<Vec<(i32, String)>, Vec<ChoiceProblem>> {
    let mut problems = Vec::new();
    let mut chosen: Vec<(i32, String)> = Vec::new();
    let mut seen_answers: Vec<String> = Vec::new();
    for i in 0..TO_CHOOSE {
        let n = i + 1;
        let (q, a) = picks.get(i).cloned().unwrap_or_default();
        let mut problem =
            |field: String, message: String| problems.push(ChoiceProblem { field, message });
        let question = match q.trim() {
            "" => {
                problem(
                    QUESTION_FIELDS[i].to_owned(),
                    lang.pick(
                        format!("Elija la pregunta {n}."),
                        format!("Choose question {n}."),
                    ),
                );
                None
            }
            q => match q.parse::<i32>().ok().filter(|id| catalogue.contains(id)) {
                None => {
                    problem(
                        QUESTION_FIELDS[i].to_owned(),
                        lang.pick(
                            format!("Elija la pregunta {n} de la lista."),
                            format!("Choose question {n} from the list."),
                        ),
                    );
                    None
                }
                Some(id) if chosen.iter().any(|(c, _)| *c == id) => {
                    problem(
                        QUESTION_FIELDS[i].to_owned(),
                        lang.pick(
                            format!("La pregunta {n} ya está elegida arriba. Elija una pregunta distinta."),
                            format!("Question {n} is already chosen above. Choose a different question."),
                        ),
                    );
                    None
                }
                Some(id) => Some(id),
            },
        };
        let normalised = normalise(&a);
        let length = normalised.chars().count();
        let answer_ok = if normalised.is_empty() {
            problem(
                ANSWER_FIELDS[i].to_owned(),
                lang.pick(
                    format!("Escriba su respuesta a la pregunta {n}."),
                    format!("Enter your answer to question {n}."),
                ),
            );
            false
        } else if length < MIN_ANSWER_CHARS {
            problem(
                ANSWER_FIELDS[i].to_owned(),
                lang.pick(
                    format!(
                        "La respuesta {n} debe tener al menos {MIN_ANSWER_CHARS} letras o números."
                    ),
                    format!("Answer {n} must have at least {MIN_ANSWER_CHARS} letters or digits."),
                ),
            );
            false
        } else if a.chars().count() > MAX_ANSWER_CHARS {
            problem(
                ANSWER_FIELDS[i].to_owned(),
                lang.pick(
                    format!("La respuesta {n} puede tener hasta {MAX_ANSWER_CHARS} caracteres."),
                    format!("Answer {n} can have up to {MAX_ANSWER_CHARS} characters."),
                ),
            );
            false
        } else if seen_answers.contains(&normalised) {
            problem(
                ANSWER_FIELDS[i].to_owned(),
                lang.pick(
                    format!("La respuesta {n} es igual a otra. Use una respuesta distinta para cada pregunta."),
                    format!("Answer {n} is the same as another one. Use a different answer for each question."),
                ),
            );
            false
        } else {
            seen_answers.push(normalised);
            true
        };
        if let (Some(id), true) = (question, answer_ok) {
            chosen.push((id, a));
        } else if let Some(id) = question {
            // Still counts as chosen, so a later duplicate is reported.
            chosen.push((id, String::new()));
        }
    }
    if problems.is_empty() {
        Ok(chosen)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CATALOGUE: [i32; 6] = [1, 2, 3, 4, 5, 6];

    fn picks(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect()
    }

    fn fields(r: Result<Vec<(i32, String)>, Vec<ChoiceProblem>>) -> Vec<String> {
        r.expect_err("refused")
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn four_different_questions_with_answers_pass() {
        let ok = check_choice(
            &picks(&[
                ("1", "Andrea"),
                ("3", " Olmedo "),
                ("5", "Locro"),
                ("6", "Carmita"),
            ]),
            &CATALOGUE,
            Lang::Es,
        );
        assert_eq!(
            ok,
            Ok(vec![
                (1, "Andrea".into()),
                (3, " Olmedo ".into()),
                (5, "Locro".into()),
                (6, "Carmita".into())
            ])
        );
    }

    #[test]
    fn the_same_question_twice_is_refused_on_the_later_one() {
        let r = check_choice(
            &picks(&[("1", "uno"), ("2", "dos"), ("1", "tres"), ("4", "cuatro")]),
            &CATALOGUE,
            Lang::Es,
        );
        assert_eq!(fields(r), vec!["pregunta3"]);
    }

    #[test]
    fn missing_unknown_and_inactive_questions() {
        let r = check_choice(
            &picks(&[("", "uno"), ("99", "dos"), ("abc", "tres"), ("4", "cuatro")]),
            &CATALOGUE,
            Lang::Es,
        );
        assert_eq!(fields(r), vec!["pregunta1", "pregunta2", "pregunta3"]);
        assert_eq!(fields(check_choice(&[], &CATALOGUE, Lang::Es)).len(), 8);
    }

    #[test]
    fn answers_must_be_there_long_enough_short_enough_and_different() {
        let long = "a".repeat(MAX_ANSWER_CHARS + 1);
        let r = check_choice(
            &picks(&[("1", "  "), ("2", "x"), ("3", &long), ("4", "cuatro")]),
            &CATALOGUE,
            Lang::Es,
        );
        assert_eq!(fields(r), vec!["respuesta1", "respuesta2", "respuesta3"]);
        let r = check_choice(
            &picks(&[
                ("1", "Quito"),
                ("2", "QUITO"),
                ("3", "quitó"),
                ("4", "otra"),
            ]),
            &CATALOGUE,
            Lang::Es,
        );
        assert_eq!(fields(r), vec!["respuesta2", "respuesta3"]);
    }

    #[test]
    fn problems_are_told_in_the_language_asked() {
        let p = |lang| {
            check_choice(&picks(&[("1", "uno"), ("1", "uno")]), &CATALOGUE, lang)
                .expect_err("refused")
                .into_iter()
                .map(|p| p.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            p(Lang::Es)[0],
            "La pregunta 2 ya está elegida arriba. Elija una pregunta distinta."
        );
        assert_eq!(
            p(Lang::En)[0],
            "Question 2 is already chosen above. Choose a different question."
        );
        assert_eq!(
            p(Lang::En)[1],
            "Answer 2 is the same as another one. Use a different answer for each question."
        );
        assert_eq!(p(Lang::En)[2], "Choose question 3.");
    }

    proptest! {
        #[test]
        fn never_panics_and_accepted_choices_are_distinct(
            items in proptest::collection::vec(("[0-9]{0,2}", "\\PC{0,12}"), 0..6)
        ) {
            if let Ok(chosen) = check_choice(&items, &CATALOGUE, Lang::Es) {
                prop_assert_eq!(chosen.len(), TO_CHOOSE);
                for (i, (q, _)) in chosen.iter().enumerate() {
                    prop_assert!(CATALOGUE.contains(q));
                    prop_assert!(chosen[..i].iter().all(|(p, _)| p != q));
                }
            }
        }
    }
}
