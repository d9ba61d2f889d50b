//! Step 2 of solicitar clave, "Identidad": the full birth date and the código
//! dactilar printed on the back of the cédula.
//!
//! Inputs: `day`, `month`, `year` (numbers), `dactilar` (case, spaces and
//! hyphens ignored).
//!
//! Reveals: only the cédula the user typed, until both match. An unknown
//! cédula and wrong data get the same message after the same work and count
//! the same failures (shared with recovery's identity checks). Only when both
//! match is the user told that the cédula already has a clave (and sent to
//! recuperar clave) or that the account is locked. Three failures end the
//! flow; five per cédula in a day lock recovery and request for it.
//!
//! Without JavaScript: rendered on the server from the flow cookie; the form
//! posts normally and errors come back through a redirect to this page.

use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::layout::CedulaEcho;
use crate::components::live_check::{LiveCheck, Rule};
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
#[cfg(feature = "ssr")]
use crate::domain::birthdate::parse_full_date;
#[cfg(feature = "ssr")]
use crate::domain::dactilar::CodigoDactilar;
use crate::domain::steps::Step;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FormErrors;
use crate::lang::{lang, Lang};
use crate::recovery::identidad::IdentityData;
use leptos::prelude::*;

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RequestIdentity;

pub fn no_match(l: Lang) -> &'static str {
    l.pick(
        "Los datos no coinciden con nuestro registro para esta cédula. Revise la fecha de nacimiento y el código dactilar e inténtelo otra vez.",
        "The details do not match our records for this ID number. Check the date of birth and the fingerprint code and try again.",
    )
}

/// The year now (no one is born in the future).
#[cfg(feature = "ssr")]
fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

/// The checks that need no registry.
#[cfg(feature = "ssr")]
pub fn validate_form(
    day: &str,
    month: &str,
    year: &str,
    dactilar: &str,
    lang: Lang,
) -> Result<((i32, u32, u32), CodigoDactilar), FormErrors> {
    let date = parse_full_date(day, month, year, this_year());
    let code = CodigoDactilar::parse(dactilar);
    match (date, code) {
        (Ok(d), Ok(c)) => Ok((d, c)),
        (date, code) => {
            let mut errors = FormErrors::default()
                .with_value("day", day)
                .with_value("month", month)
                .with_value("year", year)
                .with_value("dactilar", dactilar);
            for p in date.err().unwrap_or_default() {
                errors = errors.error(p.field, p.message.get(lang));
            }
            if let Err(e) = code {
                errors = errors.error("dactilar", e.message(lang));
            }
            Err(errors)
        }
    }
}

#[server(endpoint = "solicitar/identidad/ver")]
pub async fn request_identity_view() -> Result<IdentityData, AppError> {
    use crate::domain::flow::{FlowKind, FlowState};
    let found = crate::web::live_flow(FlowKind::Request, FlowState::IdentityPending).await?;
    Ok(IdentityData {
        cedula: found.cedula,
    })
}

/// Checks the full birth date and the código dactilar; moves to the contact data.
#[server(endpoint = "solicitar/identidad")]
pub async fn identidad_solicitud(
    day: Option<String>,
    month: Option<String>,
    year: Option<String>,
    dactilar: Option<String>,
) -> Result<(), AppError> {
    let result = server::identidad(
        day.unwrap_or_default(),
        month.unwrap_or_default(),
        year.unwrap_or_default(),
        dactilar.unwrap_or_default(),
    )
    .await;
    crate::web::conclude(
        result,
        <IdentidadSolicitud as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::services::{account::account_locked, identity};
    use crate::web::{advance, has_clave, identity_check, internal, live_flow, state};

    pub async fn identidad(
        day: String,
        month: String,
        year: String,
        dactilar: String,
    ) -> Result<(), AppError> {
        let cut = |s: String| -> String { s.chars().take(24).collect() };
        let (day, month, year, dactilar) = (cut(day), cut(month), cut(year), cut(dactilar));
        let l = lang();
        let (date, code) =
            validate_form(&day, &month, &year, &dactilar, l).map_err(AppError::Form)?;
        let found = live_flow(FlowKind::Request, FlowState::IdentityPending).await?;
        let st = state();
        let again = || {
            AppError::Form(
                FormErrors::default()
                    .with_value("day", &day)
                    .with_value("month", &month)
                    .with_value("year", &year)
                    .with_value("dactilar", &dactilar)
                    .error("day", no_match(l)),
            )
        };
        let affiliate = identity_check(&found, again, async {
            Ok(identity::match_full_identity(&st.db, &found.cedula, date, &code).await?)
        })
        .await?;
        if account_locked(&affiliate).map_err(internal("affiliate status"))? {
            return Err(AppError::AccountLocked);
        }
        if has_clave(&affiliate.cedula).await? {
            return Err(AppError::HasClave);
        }
        let next = advance(&found, FlowEvent::IdentityProved).await?;
        leptos_axum::redirect(next);
        Ok(())
    }
}

#[component]
pub fn IdentidadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| request_identity_view());
    view! { <FlowStep data=data render=|d| view! { <IdentityForm data=d/> }/> }
}

#[component]
fn IdentityForm(data: IdentityData) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<IdentidadSolicitud>::new();
    let form = FormState::of(action);
    let cedula = StoredValue::new(data.cedula);
    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
            <StepTitle step=STEP error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <ActionForm action=action attr:novalidate="" attr:class="form">
                <StepCaption step=STEP/>
                <h1 tabindex="-1">{l.pick("Confirme su identidad", "Confirm your identity")}</h1>
                <CedulaEcho cedula=cedula.get_value()/>
                <DateInput
                    form=form
                    with_year=true
                    legend=l.pick("Fecha de nacimiento", "Date of birth")
                    hint=l.pick(
                        "Día, mes y año, en números. Por ejemplo, 27 3 1961.",
                        "Day, month and year, in numbers. For example, 27 3 1961.",
                    )
                />
                <TextField
                    id="dactilar"
                    label=l.pick("Código dactilar", "Fingerprint code (código dactilar)")
                    hint=l.pick(
                        "Está en el reverso de su cédula, junto a la huella: una letra, cuatro números, una letra y cuatro números. Por ejemplo, V4443V4242.",
                        "It is on the back of your ID card, next to the fingerprint: a letter, four numbers, a letter and four numbers. For example, V4443V4242.",
                    )
                    error=form.field_error("dactilar")
                    value=form.value("dactilar")
                    autocomplete="off"
                    class="input-width-10"
                />
                <button type="submit" class="button">
                    {l.pick("Continuar", "Continue")}
                </button>
                <LiveCheck rule=Rule::FullDate/>
            </ActionForm>
        </UnlessFlowProblem>
    }
}
