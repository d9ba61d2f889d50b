//! Step 5, "Preguntas": two of the affiliate's four security questions (and,
//! on the §2.1.1 path, all four, at `/recuperar/sin-correo`).
//!
//! Inputs: `respuesta1`…`respuesta4` (free text; paste allowed; compared after
//! trimming, collapsing spaces, case-folding and stripping accents).
//!
//! Reveals: the question texts, only after the e-mail code (or, on §2.1.1, the
//! birth date). The pair stays the same for the affiliate until a recovery
//! succeeds; a wrong answer never says which one, and counts against the same
//! limits as the birth date.
//!
//! Without JavaScript: plain form posts, errors through a redirect that never
//! carries the typed answers (they would stay in the browser's history).

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::RecoveryQuestions.path();
pub const ALL_PAGE: &str = Step::RecoveryAllAnswers.path();

pub const FIELDS: [&str; 4] = crate::domain::questions::ANSWER_FIELDS;
pub fn empty_answer(l: Lang) -> &'static str {
    l.pick(
        "Escriba su respuesta a esta pregunta.",
        "Enter your answer to this question.",
    )
}
pub fn no_match(l: Lang) -> &'static str {
    l.pick(
        "Alguna de las respuestas no coincide con las que registró. Revíselas e inténtelo otra vez.",
        "One or more of the answers do not match the ones you registered. Check them and try again.",
    )
}
pub const MAX_ANSWER_CHARS: usize = 200;

/// The questions this step asks, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionsData {
    pub questions: Vec<String>,
}

/// Every asked question needs an answer.
pub fn validate_form(answers: &[String], asked: usize, lang: Lang) -> Result<(), FormErrors> {
    let mut errors = FormErrors::default();
    for (i, field) in FIELDS.iter().enumerate().take(asked) {
        let a = answers.get(i).map(String::as_str).unwrap_or_default();
        errors = errors.with_value(field, a);
        if a.trim().is_empty() {
            errors = errors.error(field, empty_answer(lang));
        } else if a.chars().count() > MAX_ANSWER_CHARS {
            errors = errors.error(
                field,
                lang.pick(
                    "La respuesta es demasiado larga.",
                    "The answer is too long.",
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[server(endpoint = "recuperar/preguntas/ver")]
pub async fn questions_view() -> Result<QuestionsData, AppError> {
    server::view(false).await
}

#[server(endpoint = "recuperar/sin-correo/ver")]
pub async fn all_questions_view() -> Result<QuestionsData, AppError> {
    server::view(true).await
}

#[server(endpoint = "recuperar/preguntas")]
pub async fn responder(
    respuesta1: Option<String>,
    respuesta2: Option<String>,
) -> Result<(), AppError> {
    let result = server::answer(false, vec![respuesta1, respuesta2]).await;
    crate::web::conclude(
        result,
        <Responder as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[server(endpoint = "recuperar/sin-correo")]
pub async fn responder_todas(
    respuesta1: Option<String>,
    respuesta2: Option<String>,
    respuesta3: Option<String>,
    respuesta4: Option<String>,
) -> Result<(), AppError> {
    let result = server::answer(true, vec![respuesta1, respuesta2, respuesta3, respuesta4]).await;
    crate::web::conclude(
        result,
        <ResponderTodas as leptos::server_fn::ServerFn>::PATH,
        ALL_PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::services::{now_unix, questions};
    use crate::web::{
        advance, identity_check, internal, keep_secrets_out_of_urls, live_flow, state,
    };

    fn step(all: bool) -> (FlowState, FlowEvent) {
        if all {
            (FlowState::AllAnswersPending, FlowEvent::AllAnswersGiven)
        } else {
            (FlowState::QuestionsPending, FlowEvent::AnswersGiven)
        }
    }

    async fn asked(all: bool, cedula: &str) -> Result<Vec<questions::Question>, AppError> {
        let st = state();
        if all {
            questions::all_for(&st.db, cedula).await
        } else {
            questions::pair_for(&st.db, cedula, now_unix()).await
        }
        .map_err(internal("load questions"))
    }

    pub async fn view(all: bool) -> Result<QuestionsData, AppError> {
        let found = live_flow(FlowKind::Recovery, step(all).0).await?;
        let asked = asked(all, &found.cedula).await?;
        Ok(QuestionsData {
            questions: asked
                .iter()
                .map(|q| q.text(crate::lang::lang()).to_owned())
                .collect(),
        })
    }

    pub async fn answer(all: bool, given: Vec<Option<String>>) -> Result<(), AppError> {
        let given: Vec<String> = given
            .into_iter()
            .map(|a| {
                a.unwrap_or_default()
                    .chars()
                    .take(MAX_ANSWER_CHARS + 1)
                    .collect()
            })
            .collect();
        let l = lang();
        let (expected_state, event) = step(all);
        let found = live_flow(FlowKind::Recovery, expected_state).await?;
        let asked = asked(all, &found.cedula).await?;
        let answer_field = |f: &str| f.starts_with("respuesta");
        validate_form(&given, asked.len(), l)
            .map_err(|e| AppError::Form(keep_secrets_out_of_urls(e, answer_field)))?;
        let keep = || {
            FIELDS
                .iter()
                .zip(&given)
                .fold(FormErrors::default(), |f, (k, v)| f.with_value(k, v))
        };
        let st = state();
        let ids: Vec<i32> = asked.iter().map(|q| q.id).collect();
        let pairs: Vec<(i32, String)> = ids.iter().copied().zip(given.iter().cloned()).collect();
        let again = || {
            AppError::Form(keep_secrets_out_of_urls(
                keep().error(FIELDS[0], no_match(l)),
                answer_field,
            ))
        };
        let compare = async {
            let ok = questions::answers_match(&st.db, &found.cedula, &ids, &pairs).await?;
            Ok(ok.then_some(()))
        };
        identity_check(&found, again, compare).await?;
        let next = advance(&found, event).await?;
        leptos_axum::redirect(next);
        Ok(())
    }
}

#[component]
pub fn PreguntasPage() -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), |_| questions_view());
    let action = ServerAction::<Responder>::new();
    let form = FormState::of(action);
    view! {
        <FlowStep
            data=data
            render=move |d: QuestionsData| {
                let questions = StoredValue::new(d.questions);
                view! {
                    <AnswersFrame
                        form=form
                        step=Step::RecoveryQuestions
                        intro=l.pick(
                            "Responda como lo hizo al crear su clave. No importan las mayúsculas ni las tildes.",
                            "Answer as you did when you created your password. Capital letters and accents do not matter.",
                        )
                    >
                        <ActionForm action=action attr:novalidate="" attr:class="form">
                            <AnswerFields questions=questions.get_value() form=form/>
                        </ActionForm>
                    </AnswersFrame>
                }
            }
        />
    }
}

#[component]
pub fn SinCorreoPage() -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), |_| all_questions_view());
    let action = ServerAction::<ResponderTodas>::new();
    let form = FormState::of(action);
    view! {
        <FlowStep
            data=data
            render=move |d: QuestionsData| {
                let questions = StoredValue::new(d.questions);
                view! {
                    <AnswersFrame
                        form=form
                        step=Step::RecoveryAllAnswers
                        intro=l.pick(
                            "Como no puede recibir el código en su correo registrado, necesitamos las cuatro respuestas. No importan las mayúsculas ni las tildes.",
                            "As you cannot receive the code at your registered e-mail address, we need all four answers. Capital letters and accents do not matter.",
                        )
                    >
                        <ActionForm action=action attr:novalidate="" attr:class="form">
                            <AnswerFields questions=questions.get_value() form=form/>
                        </ActionForm>
                    </AnswersFrame>
                }
            }
        />
    }
}

/// The frame around the answer fields: title, back link, errors, heading.
#[component]
fn AnswersFrame(
    form: FormState,
    step: Step,
    intro: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let l = lang();
    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
            <StepTitle step=step error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <StepCaption step=step/>
            <h1 tabindex="-1">
                {l.pick("Responda sus preguntas de seguridad", "Answer your security questions")}
            </h1>
            <p>{intro}</p>
            {children()}
        </UnlessFlowProblem>
    }
}

#[component]
fn AnswerFields(questions: Vec<String>, form: FormState) -> impl IntoView {
    let l = lang();
    view! {
        {questions
            .into_iter()
            .zip(FIELDS)
            .map(|(q, field)| {
                view! {
                    <TextField
                        id=field
                        label=q
                        error=form.field_error(field)
                        value=form.value(field)
                        autocomplete="off"
                    />
                }
            })
            .collect_view()}
        <button type="submit" class="button">
            {l.pick("Continuar", "Continue")}
        </button>
    }
}
