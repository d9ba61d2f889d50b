//! Step 2, "Identidad": shows the cédula back and asks for the birth day and
//! month.
//!
//! Inputs: `day`, `month` (numbers; spaces and leading zeros accepted).
//!
//! Reveals: only the cédula the user typed. An unknown cédula and a wrong date
//! get the same message after the same work, and count the same failures; only
//! a matching date moves on. A staff-locked account is told so only then.
//! Three failures end the flow; five per cédula in a day lock recovery for it.
//!
//! Without JavaScript: rendered on the server from the flow cookie; the form
//! posts normally and errors come back through a redirect to this page.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowProblem, FlowStep};
use crate::components::form::{input_value, FormState};
use crate::components::layout::{BackLink, PageTitle};
use crate::domain::birthdate::parse_day_month;
use crate::error::{AppError, FormErrors};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = "/recuperar/identidad";

pub const NO_MATCH: &str =
    "La fecha no coincide con nuestro registro para esta cédula. Revise el día y el mes e inténtelo otra vez.";
pub const CEDULA_LOCKED: &str =
    "Por seguridad, la recuperación de clave con esta cédula está bloqueada durante 24 horas. Puede pedir que le llamemos en el horario de atención.";

/// What this step may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityData {
    pub cedula: String,
}

/// The same checks in the browser and on the server.
pub fn validate_form(day: &str, month: &str) -> Result<(u32, u32), FormErrors> {
    parse_day_month(day, month).map_err(|problems| {
        problems.into_iter().fold(
            FormErrors::default()
                .with_value("day", day)
                .with_value("month", month),
            |f, p| f.error(p.field, p.message),
        )
    })
}

/// The live flow behind the cookie, if it is waiting for this step.
#[server(endpoint = "recuperar/identidad/ver")]
pub async fn identity_view() -> Result<IdentityData, AppError> {
    use crate::domain::flow::RecoveryState;
    let found = crate::web::live_flow(RecoveryState::IdentityPending).await?;
    Ok(IdentityData {
        cedula: found.cedula,
    })
}

/// Checks the birth day and month and moves to "Confirmar datos".
#[server(endpoint = "recuperar/identidad")]
pub async fn identidad(day: Option<String>, month: Option<String>) -> Result<(), AppError> {
    let result = server::identidad(day.unwrap_or_default(), month.unwrap_or_default()).await;
    crate::web::finish(
        result,
        <Identidad as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, RecoveryState};
    use crate::services::identity::{self, AfterFailure};
    use crate::services::now_unix;
    use crate::web::{advance, internal, live_flow, state};

    pub async fn identidad(day: String, month: String) -> Result<(), AppError> {
        let day: String = day.chars().take(16).collect();
        let month: String = month.chars().take(16).collect();
        let keep = || {
            FormErrors::default()
                .with_value("day", &day)
                .with_value("month", &month)
        };
        let (d, m) = validate_form(&day, &month).map_err(AppError::Form)?;
        let found = live_flow(RecoveryState::IdentityPending).await?;
        let st = state();
        let now = now_unix();
        if identity::cedula_locked(&st.db, &st.settings, &found.cedula, now)
            .await
            .map_err(internal("identity lock"))?
        {
            return Err(AppError::Locked(keep().error("day", CEDULA_LOCKED)));
        }
        let matched = identity::match_birth_day_month(&st.db, &found.cedula, d, m)
            .await
            .map_err(internal("identity check"))?;
        let Some(affiliate) = matched else {
            return match identity::record_failure(&st.db, &st.settings, &found, now)
                .await
                .map_err(internal("identity failure"))?
            {
                AfterFailure::TryAgain => Err(AppError::Form(keep().error("day", NO_MATCH))),
                AfterFailure::CedulaLocked => {
                    Err(AppError::Locked(keep().error("day", CEDULA_LOCKED)))
                }
                AfterFailure::FlowOver => {
                    advance(&found, FlowEvent::TooManyFailures).await?;
                    Err(AppError::FlowFailed)
                }
            };
        };
        if affiliate.status == "locked" {
            return Err(AppError::AccountLocked);
        }
        let next = advance(&found, FlowEvent::IdentityProved).await?;
        leptos_axum::redirect(next.path());
        Ok(())
    }
}

#[component]
pub fn IdentidadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| identity_view());
    view! { <FlowStep data=data render=|d| view! { <IdentityForm data=d/> }/> }
}

#[component]
fn IdentityForm(data: IdentityData) -> impl IntoView {
    let action = ServerAction::<Identidad>::new();
    let form = FormState::of(action);
    let check_in_browser = move |ev: leptos::ev::MouseEvent| {
        form.check(
            &ev,
            validate_form(&input_value("day"), &input_value("month")).map(|_| ()),
        );
    };
    let cedula = StoredValue::new(data.cedula);
    let day_error = form.field_error("day");
    let month_error = form.field_error("month");
    let any_error = move || day_error.with(Option::is_some) || month_error.with(Option::is_some);
    let described_by = move || {
        let mut ids = vec!["bday-hint"];
        if any_error() {
            ids.push("bday-error");
        }
        ids.join(" ")
    };

    view! {
        {move || form.flow_problem().get().map(|e| view! { <FlowProblem error=e/> })}
        <Show when=move || form.flow_problem().with(Option::is_none)>
            <PageTitle text="Su fecha de nacimiento – Recuperar clave" error=form.has_error()/>
            <BackLink href="/recuperar/buscar"/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <ActionForm action=action attr:novalidate="" attr:class="form">
                <span class="caption">"Recuperar clave · paso 2 de 6"</span>
                <dl class="summary-list">
                    <div class="summary-row">
                        <dt>"Cédula"</dt>
                        <dd class="cedula-echo">{cedula.get_value()}</dd>
                    </div>
                </dl>
                <div class="field" class:field-error=any_error>
                    <fieldset class="fieldset" role="group" aria-describedby=described_by>
                        <legend class="fieldset-legend">
                            <h1 class="fieldset-heading" tabindex="-1">
                                "¿Cuál es su fecha de nacimiento?"
                            </h1>
                        </legend>
                        <p class="hint" id="bday-hint">
                            "Solo el día y el mes, en números. Por ejemplo, 27 y 3 para el 27 de marzo."
                        </p>
                        {move || {
                            let messages: Vec<String> = [day_error.get(), month_error.get()]
                                .into_iter()
                                .flatten()
                                .collect();
                            (!messages.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="error-message" id="bday-error">
                                            <span class="visually-hidden">"Error: "</span>
                                            {messages.join(" ")}
                                        </p>
                                    }
                                })
                        }}
                        <div class="date-input">
                            <DatePart id="day" label="Día" autocomplete="bday-day" error=day_error value=form.value("day")/>
                            <DatePart id="month" label="Mes" autocomplete="bday-month" error=month_error value=form.value("month")/>
                        </div>
                    </fieldset>
                </div>
                <button type="submit" class="button" on:click=check_in_browser>
                    "Continuar"
                </button>
            </ActionForm>
        </Show>
    }
}

#[component]
fn DatePart(
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    error: Signal<Option<String>>,
    value: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="date-input-item">
            <label class="label" for=id>{label}</label>
            <input
                class="input input-width-2"
                class:input-error=move || error.with(Option::is_some)
                id=id
                name=id
                type="text"
                inputmode="numeric"
                autocomplete=autocomplete
                maxlength="2"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                value=move || value.get().unwrap_or_default()
            />
        </div>
    }
}
