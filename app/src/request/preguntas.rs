//! Step 5 of solicitar clave, "Preguntas de seguridad": four **different**
//! questions from the catalogue, each with its answer. They will be asked if
//! the clave is ever forgotten (two of them, or all four without the e-mail).
//!
//! Inputs: `pregunta1`…`pregunta4` (question ids from the catalogue),
//! `respuesta1`…`respuesta4` (free text; paste allowed; normalised — trimmed,
//! spaces collapsed, case-folded, accents stripped — then argon2id-hashed).
//!
//! Reveals: the catalogue. The answers are held, hashed, in the flow, and
//! become the affiliate's only when the clave is created.
//!
//! Without JavaScript: native selects and a plain form post. After an error
//! the chosen questions come back, but not the answers: the redirect that
//! carries the error must not put answers in the browser's history.

// The server function takes the form's eight fields as they are posted.
#![allow(clippy::too_many_arguments)]

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::{ErrorMessage, TextField};
#[cfg(feature = "ssr")]
use crate::domain::questions::check_choice;
use crate::domain::questions::{ANSWER_FIELDS, QUESTION_FIELDS, TO_CHOOSE};
use crate::domain::steps::Step;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FormErrors;
use crate::lang::lang;
#[cfg(feature = "ssr")]
use crate::lang::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RequestQuestions;

/// One question of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuestion {
    pub id: i32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceData {
    pub catalogue: Vec<CatalogueQuestion>,
}

/// The checks of the form alone: two different questions, each answered.
#[cfg(feature = "ssr")]
pub fn validate_form(
    picks: &[(String, String)],
    catalogue: &[i32],
    lang: Lang,
) -> Result<Vec<(i32, String)>, FormErrors> {
    check_choice(picks, catalogue, lang).map_err(|problems| {
        let kept = picks
            .iter()
            .enumerate()
            .fold(FormErrors::default(), |f, (i, (q, a))| {
                f.with_value(QUESTION_FIELDS[i], q)
                    .with_value(ANSWER_FIELDS[i], a)
            });
        problems
            .into_iter()
            .fold(kept, |f, p| f.error(&p.field, p.message))
    })
}

#[server(endpoint = "solicitar/preguntas/ver")]
pub async fn choice_view() -> Result<ChoiceData, AppError> {
    use crate::domain::flow::{FlowKind, FlowState};
    use crate::web::{internal, live_flow, state};
    live_flow(FlowKind::Request, FlowState::ChooseQuestionsPending).await?;
    let catalogue = crate::services::questions::catalogue(&state().db)
        .await
        .map_err(internal("catalogue"))?;
    let l = crate::lang::lang();
    Ok(ChoiceData {
        catalogue: catalogue
            .into_iter()
            .map(|q| CatalogueQuestion {
                id: q.id,
                text: q.text(l).to_owned(),
            })
            .collect(),
    })
}

#[server(endpoint = "solicitar/preguntas")]
pub async fn elegir_preguntas(
    pregunta1: Option<String>,
    respuesta1: Option<String>,
    pregunta2: Option<String>,
    respuesta2: Option<String>,
    pregunta3: Option<String>,
    respuesta3: Option<String>,
    pregunta4: Option<String>,
    respuesta4: Option<String>,
) -> Result<(), AppError> {
    let pick =
        |q: Option<String>, a: Option<String>| (q.unwrap_or_default(), a.unwrap_or_default());
    let result = server::elegir(vec![
        pick(pregunta1, respuesta1),
        pick(pregunta2, respuesta2),
        pick(pregunta3, respuesta3),
        pick(pregunta4, respuesta4),
    ])
    .await;
    crate::web::conclude(
        result,
        <ElegirPreguntas as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::domain::questions::MAX_ANSWER_CHARS;
    use crate::services::{questions, ServiceError};
    use crate::web::{advance, internal, keep_secrets_out_of_urls, live_flow, state};

    pub async fn elegir(picks: Vec<(String, String)>) -> Result<(), AppError> {
        let picks: Vec<(String, String)> = picks
            .into_iter()
            .map(|(q, a)| {
                (
                    q.chars().take(12).collect(),
                    a.chars().take(MAX_ANSWER_CHARS + 1).collect(),
                )
            })
            .collect();
        let found = live_flow(FlowKind::Request, FlowState::ChooseQuestionsPending).await?;
        let st = state();
        let catalogue: Vec<i32> = questions::catalogue(&st.db)
            .await
            .map_err(internal("catalogue"))?
            .into_iter()
            .map(|q| q.id)
            .collect();
        let l = lang();
        let chosen = validate_form(&picks, &catalogue, l).map_err(|errors| {
            AppError::Form(keep_secrets_out_of_urls(errors, |f| {
                f.starts_with("respuesta")
            }))
        })?;
        match questions::hold_choice(&st.db, &found.id, &chosen).await {
            Ok(()) => {}
            Err(ServiceError::Busy(_)) => {
                let kept = picks
                    .iter()
                    .zip(QUESTION_FIELDS)
                    .fold(FormErrors::default(), |f, ((q, _), field)| {
                        f.with_value(field, q)
                    });
                return Err(AppError::Busy(kept));
            }
            Err(ServiceError::Db(e)) => return Err(internal("hold answers")(e)),
        }
        let next = advance(&found, FlowEvent::QuestionsChosen).await?;
        leptos_axum::redirect(next);
        Ok(())
    }
}

#[component]
pub fn PreguntasPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| choice_view());
    view! { <FlowStep data=data render=|d| view! { <ChoiceForm data=d/> }/> }
}

#[component]
fn ChoiceForm(data: ChoiceData) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<ElegirPreguntas>::new();
    let form = FormState::of(action);
    let catalogue = StoredValue::new(data.catalogue);
    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
            <StepTitle step=STEP error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <ActionForm
                action=action
                attr:id=crate::lang::STEP_FORM_ID
                attr:novalidate=""
                attr:class="form"
            >
                <StepCaption step=STEP/>
                <h1 tabindex="-1">
                    {l.pick("Elija sus preguntas de seguridad", "Choose your security questions")}
                </h1>
                <p>
                    {l.pick(
                        "Elija cuatro preguntas distintas y respóndalas. Si algún día olvida su clave, le preguntaremos algunas de ellas.",
                        "Choose four different questions and answer them. If you ever forget your password, we will ask you some of them.",
                    )}
                </p>
                <p class="hint">
                    {l.pick(
                        "Use respuestas que usted recuerde siempre y que otras personas no puedan averiguar. No importan las mayúsculas ni las tildes.",
                        "Use answers that you will always remember and that other people cannot find out. Capital letters and accents do not matter.",
                    )}
                </p>
                {(0..TO_CHOOSE)
                    .map(|i| view! { <QuestionChoice index=i form=form catalogue=catalogue/> })
                    .collect_view()}
                <button type="submit" class="button">
                    {l.pick("Continuar", "Continue")}
                </button>
            </ActionForm>
        </UnlessFlowProblem>
    }
}

/// One of the four: a select of the catalogue and the answer.
#[component]
fn QuestionChoice(
    index: usize,
    form: FormState,
    catalogue: StoredValue<Vec<CatalogueQuestion>>,
) -> impl IntoView {
    let l = lang();
    let n = index + 1;
    let q_field = QUESTION_FIELDS[index];
    let a_field = ANSWER_FIELDS[index];
    let q_error = form.field_error(q_field);
    let chosen = form.value(q_field);
    let error_id = format!("{q_field}-error");
    let described = {
        let error_id = error_id.clone();
        move || q_error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <fieldset class="question-choice">
            <legend>
                {l.pick(format!("Pregunta {n} de {TO_CHOOSE}"), format!("Question {n} of {TO_CHOOSE}"))}
            </legend>
            <div class="field" class:field-error=move || q_error.with(Option::is_some)>
                <label class="label" for=q_field>
                    {l.pick(format!("Pregunta {n}"), format!("Question {n}"))}
                </label>
                <ErrorMessage id=error_id error=q_error/>
                <select
                    class="select"
                    id=q_field
                    name=q_field
                    aria-describedby=described
                    aria-invalid=move || q_error.with(Option::is_some).then_some("true")
                >
                    <option value="">{l.pick("Elija una pregunta", "Choose a question")}</option>
                    {catalogue
                        .get_value()
                        .into_iter()
                        .map(|q| {
                            let id = q.id.to_string();
                            let selected = {
                                let id = id.clone();
                                move || chosen.get().is_some_and(|c| c == id)
                            };
                            view! {
                                <option value=id selected=selected>{q.text}</option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <TextField
                id=a_field
                label=l.pick(format!("Respuesta {n}"), format!("Answer {n}"))
                error=form.field_error(a_field)
                value=form.value(a_field)
                autocomplete="off"
            />
        </fieldset>
    }
}
