//! "Pedir que le llamen": the call-back request (SPEC §2.3), at
//! `/contacto/llamada`, and its receipt at `/contacto/recibida`.
//!
//! Inputs: `cedula`, `pais` (ISO code from the list), `telefono` (as written
//! in that country, or with its `+` prefix), `horario` (time window),
//! `consentimiento` (LOPDP: what the number is for and how long it is kept),
//! `robot` + `captcha`.
//!
//! Reveals: nothing about the registry: any valid cédula gets a reference
//! number, registered or not. A second request for a cédula with an open one
//! is merged into it (same reference; the first number stays, the new one is
//! added), and the receipt says so.
//!
//! Without JavaScript: a plain form post; errors come back through a redirect
//! that puts back what was typed, and the receipt is a page of its own. The missing proof of work is made up for by the per-IP and per-cédula
//! limits, which hold for everybody.

use crate::components::captcha::CaptchaCheckbox;
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::OfficeHours;
use crate::components::select_field::SelectField;
use crate::components::step::StepTitle;
use crate::components::text_field::{ErrorMessage, TextField};
use crate::domain::callback::{normalise_reference, TimeWindow, COUNTRIES};
use crate::domain::cedula::Cedula;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

pub const PAGE: &str = Step::Callback.path();
pub const RECEIPT: &str = Step::CallbackReceipt.path();

pub const NO_COUNTRY: &str = "Elija el país donde está el teléfono.";
pub const NO_PHONE: &str = "Escriba el número de teléfono donde podemos llamarle.";
pub const NO_WINDOW: &str = "Elija a qué hora prefiere que le llamemos.";
pub const NO_CONSENT: &str =
    "Para llamarle necesitamos su autorización: marque la casilla si está de acuerdo.";
pub const TOO_MANY: &str =
    "Se hicieron demasiadas solicitudes desde su conexión o con esta cédula. Ya tenemos su pedido: espere nuestra llamada, o vuelva a intentarlo mañana.";

/// How long a request's phone number is kept, for the consent text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptDays(pub i64);

/// The checks that need no server (the server repeats them and also checks the
/// number against the chosen country).
pub fn validate_form(
    cedula: &str,
    country: &str,
    phone: &str,
    window: &str,
    consent: bool,
    robot: bool,
) -> Result<(Cedula, TimeWindow), FormErrors> {
    let mut errors = FormErrors::default()
        .with_value("cedula", cedula)
        .with_value("pais", country)
        .with_value("telefono", phone)
        .with_value("horario", window);
    let parsed = Cedula::parse(cedula);
    if let Err(e) = &parsed {
        errors = errors.error("cedula", e.message_es());
    }
    if !COUNTRIES.iter().any(|(c, _)| *c == country) {
        errors = errors.error("pais", NO_COUNTRY);
    }
    if phone.trim().is_empty() {
        errors = errors.error("telefono", NO_PHONE);
    }
    let window = TimeWindow::parse(window);
    if window.is_none() {
        errors = errors.error("horario", NO_WINDOW);
    }
    if !consent {
        errors = errors.error("consentimiento", NO_CONSENT);
    }
    if !robot {
        errors = errors.error("robot", crate::shared_steps::buscar::ROBOT_UNCHECKED);
    }
    match (parsed, window) {
        (Ok(c), Some(w)) if errors.is_empty() => Ok((c, w)),
        _ => Err(errors),
    }
}

/// How long the number is kept (the consent text states it).
#[server(endpoint = "contacto/retencion")]
pub async fn callback_retention() -> Result<KeptDays, AppError> {
    Ok(KeptDays(
        crate::web::state().settings.callback_retention_days,
    ))
}

#[server(endpoint = "contacto/llamada")]
#[allow(clippy::too_many_arguments)]
pub async fn pedir_llamada(
    cedula: Option<String>,
    pais: Option<String>,
    telefono: Option<String>,
    horario: Option<String>,
    consentimiento: Option<String>,
    robot: Option<String>,
    captcha: Option<String>,
) -> Result<(), AppError> {
    let result = server::pedir_llamada(
        cedula.unwrap_or_default(),
        pais.unwrap_or_default(),
        telefono.unwrap_or_default(),
        horario.unwrap_or_default(),
        consentimiento.is_some(),
        robot.is_some(),
        captcha.unwrap_or_default(),
    )
    .await;
    crate::web::conclude(
        result,
        <PedirLlamada as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::phone::parse_for_country;
    use crate::services::callback::{submit, NewCallback, Taken};
    use crate::services::{captcha, now_unix};
    use crate::web::{captcha_binding, client_key, internal, state};

    /// Longer text than any field needs is cut before it is checked or echoed.
    const MAX_INPUT: usize = 64;

    pub async fn pedir_llamada(
        cedula: String,
        country: String,
        phone: String,
        window: String,
        consent: bool,
        robot: bool,
        payload: String,
    ) -> Result<(), AppError> {
        let cut = |s: &str| s.chars().take(MAX_INPUT).collect::<String>();
        let (cedula, country, phone, window) =
            (cut(&cedula), cut(&country), cut(&phone), cut(&window));
        let (valid, window) = validate_form(&cedula, &country, &phone, &window, consent, robot)
            .map_err(AppError::Form)?;
        crate::web::audit_cedula(valid.as_str());
        let keep = || {
            FormErrors::default()
                .with_value("cedula", &cedula)
                .with_value("pais", &country)
                .with_value("telefono", &phone)
                .with_value("horario", window.as_str())
        };
        let e164 = parse_for_country(&phone, &country)
            .map_err(|e| AppError::Form(keep().error("telefono", e.message_es())))?;
        let st = state();
        let s = &st.settings;
        let now = now_unix();
        if !payload.is_empty()
            && (payload.len() > 4_096
                || captcha::redeem(&st.db, s.secret(), &payload, now, &captcha_binding(s))
                    .await
                    .map_err(internal("captcha"))?
                    .is_err())
        {
            return Err(AppError::Form(
                keep().error("robot", crate::shared_steps::buscar::CAPTCHA_REJECTED),
            ));
        }
        let request = NewCallback {
            cedula: valid.as_str(),
            country: &country,
            phone: &e164,
            window,
        };
        let taken = submit(
            &st.db,
            s,
            &request,
            &client_key(s),
            !payload.is_empty(),
            now,
        )
        .await
        .map_err(internal("call-back request"))?;
        // New and merged requests get the same receipt: the submitter never
        // learns whether the cédula already had an open request.
        let receipt = match taken {
            Taken::Created { reference } | Taken::Merged { reference } => {
                format!("{RECEIPT}?referencia={reference}")
            }
            Taken::TooMany => return Err(AppError::RateLimited(keep().error("cedula", TOO_MANY))),
        };
        leptos_axum::redirect(&receipt);
        Ok(())
    }
}

#[component]
pub fn LlamadaPage() -> impl IntoView {
    let action = ServerAction::<PedirLlamada>::new();
    let form = FormState::of(action);
    // Blocking: the consent text states the real figure, also without JavaScript.
    let days = Resource::new_blocking(|| (), |_| callback_retention());
    let countries = COUNTRIES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect::<Vec<_>>();
    let windows = TimeWindow::ALL
        .iter()
        .map(|w| (w.as_str().to_owned(), w.label_es().to_owned()))
        .collect::<Vec<_>>();
    let consent_error = form.field_error("consentimiento");
    view! {
        <StepTitle step=Step::Callback error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=form.general()/>
        <h1 tabindex="-1">"Pedir que le llamemos"</h1>
        <p class="lead">
            "Si vive en el exterior, si su cuenta está bloqueada o si no puede confirmar sus datos en línea, deje su número y nuestro personal le llamará en el horario de atención."
        </p>
        <OfficeHours local=true/>
        <ActionForm action=action attr:novalidate="" attr:class="form">
            <TextField
                id="cedula"
                label="Número de cédula"
                hint="Los 10 dígitos de su cédula de identidad."
                error=form.field_error("cedula")
                value=form.value("cedula")
                inputmode="numeric"
                autocomplete="username"
                class="input-width-10"
            />
            <SelectField
                id="pais"
                label="País del teléfono"
                options=countries
                placeholder="Elija un país"
                error=form.field_error("pais")
                value=form.value("pais")
            />
            <TextField
                id="telefono"
                label="Número de teléfono"
                hint="Como se marca en ese país, o completo con el código del país, por ejemplo +34 612 345 678."
                error=form.field_error("telefono")
                value=form.value("telefono")
                input_type="tel"
                autocomplete="tel"
            />
            <SelectField
                id="horario"
                label="¿A qué hora prefiere que le llamemos?"
                options=windows
                placeholder="Elija un horario"
                error=form.field_error("horario")
                value=form.value("horario")
            />
            <div class="field" class:field-error=move || consent_error.with(Option::is_some)>
                <ErrorMessage id="consentimiento-error".to_owned() error=consent_error/>
                <div class="checkbox">
                    <input
                        class="checkbox-input"
                        type="checkbox"
                        id="consentimiento"
                        name="consentimiento"
                        value="si"
                        aria-invalid=move || consent_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            if consent_error.with(Option::is_some) {
                                "consentimiento-hint consentimiento-error"
                            } else {
                                "consentimiento-hint"
                            }
                        }
                    />
                    <label class="checkbox-label" for="consentimiento">
                        "Autorizo al Instituto a guardar este número para llamarme por esta solicitud."
                    </label>
                </div>
                <p class="hint" id="consentimiento-hint">
                    "Usaremos su número solo para llamarle por esta solicitud y confirmar su identidad; no lo usaremos para nada más ni lo compartiremos. Lo borraremos "
                    <Suspense fallback=|| "30">
                        {move || days.get().and_then(Result::ok).map(|d| d.0.to_string())}
                    </Suspense>
                    " días después de atender su solicitud (o de recibirla, si no llegamos a atenderla). Ley Orgánica de Protección de Datos Personales, art. 12."
                </p>
            </div>
            <CaptchaCheckbox error=form.field_error("robot").get_untracked() solved=None/>
            <button type="submit" class="button">
                "Enviar solicitud"
            </button>
        </ActionForm>
    }
}

/// The receipt: the reference number and what happens next.
#[component]
pub fn RecibidaPage() -> impl IntoView {
    let query = use_query_map();
    let reference =
        move || query.with(|q| q.get("referencia").and_then(|r| normalise_reference(&r)));
    view! {
        <StepTitle step=Step::CallbackReceipt/>
        {move || match reference() {
            Some(r) => view! {
                <div class="panel-success">
                    <h1 tabindex="-1">"Recibimos su solicitud"</h1>
                    <p>"Su número de referencia es"</p>
                    <p class="reference"><strong>{r}</strong></p>
                </div>
                <h2>"Qué pasa ahora"</h2>
                <ol class="list-number">
                    <li>"Una persona del Instituto le llamará en el horario que eligió, dentro del horario de atención."</li>
                    <li>"Para confirmar que es usted, le hará preguntas sobre sus datos. Nunca le pedirá su clave ni los códigos que le enviamos por correo."</li>
                    <li>"Si su cuenta está bloqueada, la desbloqueará; después podrá recuperar o solicitar su clave."</li>
                </ol>
                <p>"Anote el número de referencia: se lo pedirán si llama usted."</p>
                <OfficeHours/>
                <p><A href=Step::Home.path()>"Volver al inicio"</A></p>
            }
            .into_any(),
            None => view! {
                <h1 tabindex="-1">"No encontramos esa solicitud"</h1>
                <p>"El enlace está incompleto. Si ya envió su solicitud, espere nuestra llamada."</p>
                <p><A href=PAGE>"Pedir que le llamemos"</A></p>
            }
            .into_any(),
        }}
    }
}
