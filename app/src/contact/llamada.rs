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
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

pub const PAGE: &str = Step::Callback.path();
pub const RECEIPT: &str = Step::CallbackReceipt.path();

pub fn no_country(l: Lang) -> &'static str {
    l.pick(
        "Elija el país donde está el teléfono.",
        "Choose the country the phone is in.",
    )
}

pub fn no_phone(l: Lang) -> &'static str {
    l.pick(
        "Escriba el número de teléfono donde podemos llamarle.",
        "Enter the phone number we can call you on.",
    )
}

pub fn no_window(l: Lang) -> &'static str {
    l.pick(
        "Elija a qué hora prefiere que le llamemos.",
        "Choose when you would like us to call you.",
    )
}

pub fn no_consent(l: Lang) -> &'static str {
    l.pick(
        "Para llamarle necesitamos su autorización: marque la casilla si está de acuerdo.",
        "We need your permission to call you: check the box if you agree.",
    )
}

pub fn too_many(l: Lang) -> &'static str {
    l.pick(
        "Se hicieron demasiadas solicitudes desde su conexión o con esta cédula. Ya tenemos su pedido: espere nuestra llamada, o vuelva a intentarlo mañana.",
        "Too many requests were made from your connection or with this ID number. We already have your request: wait for our call, or try again tomorrow.",
    )
}

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
    lang: Lang,
) -> Result<(Cedula, TimeWindow), FormErrors> {
    let mut errors = FormErrors::default()
        .with_value("cedula", cedula)
        .with_value("pais", country)
        .with_value("telefono", phone)
        .with_value("horario", window);
    let parsed = Cedula::parse(cedula);
    if let Err(e) = &parsed {
        errors = errors.error("cedula", e.message(lang));
    }
    if !COUNTRIES.iter().any(|(c, _)| *c == country) {
        errors = errors.error("pais", no_country(lang));
    }
    if phone.trim().is_empty() {
        errors = errors.error("telefono", no_phone(lang));
    }
    let window = TimeWindow::parse(window);
    if window.is_none() {
        errors = errors.error("horario", no_window(lang));
    }
    if !consent {
        errors = errors.error("consentimiento", no_consent(lang));
    }
    if !robot {
        errors = errors.error("robot", crate::shared_steps::buscar::robot_unchecked(lang));
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
        let l = lang();
        let (valid, window) = validate_form(&cedula, &country, &phone, &window, consent, robot, l)
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
            .map_err(|e| AppError::Form(keep().error("telefono", e.message(l))))?;
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
                keep().error("robot", crate::shared_steps::buscar::captcha_rejected(l)),
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
            Taken::TooMany => {
                return Err(AppError::RateLimited(keep().error("cedula", too_many(l))))
            }
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
    let countries = crate::domain::callback::countries(lang())
        .into_iter()
        .map(|(code, name)| (code.to_owned(), name.to_owned()))
        .collect::<Vec<_>>();
    let windows = TimeWindow::ALL
        .iter()
        .map(|w| (w.as_str().to_owned(), w.label(lang())))
        .collect::<Vec<_>>();
    let consent_error = form.field_error("consentimiento");
    let l = lang();
    view! {
        <StepTitle step=Step::Callback error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=form.general()/>
        <h1 tabindex="-1">{l.pick("Pedir que le llamemos", "Ask us to call you")}</h1>
        <p class="lead">
            {l.pick(
                "Si vive en el exterior, si su cuenta está bloqueada o si no puede confirmar sus datos en línea, deje su número y nuestro personal le llamará en el horario de atención.",
                "If you live abroad, if your account is locked or if you cannot confirm your details online, leave your number and our staff will call you during opening hours.",
            )}
        </p>
        <OfficeHours local=true/>
        <ActionForm action=action attr:id=crate::lang::STEP_FORM_ID attr:novalidate="" attr:class="form">
            <TextField
                id="cedula"
                label=l.pick("Número de cédula", "ID number (cédula)")
                hint=l.pick("Los 10 dígitos de su cédula de identidad.", "The 10 digits of your ID number.")
                error=form.field_error("cedula")
                value=form.value("cedula")
                inputmode="numeric"
                autocomplete="username"
                class="input-width-10"
            />
            <SelectField
                id="pais"
                label=l.pick("País del teléfono", "Country of the phone number")
                options=countries
                placeholder=l.pick("Elija un país", "Choose a country")
                error=form.field_error("pais")
                value=form.value("pais")
            />
            <TextField
                id="telefono"
                label=l.pick("Número de teléfono", "Phone number")
                hint=l.pick(
                    "Como se marca en ese país, o completo con el código del país, por ejemplo +34 612 345 678.",
                    "As you would dial it in that country, or in full with the country code, for example +34 612 345 678.",
                )
                error=form.field_error("telefono")
                value=form.value("telefono")
                input_type="tel"
                autocomplete="tel"
            />
            <SelectField
                id="horario"
                label=l.pick("¿A qué hora prefiere que le llamemos?", "When would you like us to call you?")
                options=windows
                placeholder=l.pick("Elija un horario", "Choose a time")
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
                        {l.pick(
                            "Autorizo al Instituto a guardar este número para llamarme por esta solicitud.",
                            "I allow the Institute to keep this number to call me about this request.",
                        )}
                    </label>
                </div>
                <p class="hint" id="consentimiento-hint">
                    {l.pick(
                        "Usaremos su número solo para llamarle por esta solicitud y confirmar su identidad; no lo usaremos para nada más ni lo compartiremos. Lo borraremos ",
                        "We will use your number only to call you about this request and to confirm your identity; we will not use it for anything else or share it. We will delete it ",
                    )}
                    <Suspense fallback=|| "30">
                        {move || days.get().and_then(Result::ok).map(|d| d.0.to_string())}
                    </Suspense>
                    {l.pick(
                        " días después de atender su solicitud (o de recibirla, si no llegamos a atenderla). Ley Orgánica de Protección de Datos Personales, art. 12.",
                        " days after we deal with your request (or after we receive it, if we never get to deal with it). Organic Law on Personal Data Protection (Ley Orgánica de Protección de Datos Personales), art. 12.",
                    )}
                </p>
            </div>
            <CaptchaCheckbox error=form.field_error("robot").get_untracked() solved=None/>
            <button type="submit" class="button">
                {l.pick("Enviar solicitud", "Send request")}
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
    let l = lang();
    view! {
        <StepTitle step=Step::CallbackReceipt/>
        {move || match reference() {
            Some(r) => view! {
                <div class="panel-success">
                    <h1 tabindex="-1">{l.pick("Recibimos su solicitud", "We have received your request")}</h1>
                    <p>{l.pick("Su número de referencia es", "Your reference number is")}</p>
                    <p class="reference"><strong>{r}</strong></p>
                </div>
                <h2>{l.pick("Qué pasa ahora", "What happens next")}</h2>
                <ol class="list-number">
                    <li>
                        {l.pick(
                            "Una persona del Instituto le llamará en el horario que eligió, dentro del horario de atención.",
                            "Someone from the Institute will call you at the time you chose, within opening hours.",
                        )}
                    </li>
                    <li>
                        {l.pick(
                            "Para confirmar que es usted, le hará preguntas sobre sus datos. Nunca le pedirá su clave ni los códigos que le enviamos por correo.",
                            "To confirm it is you, they will ask you questions about your details. They will never ask for your password or the codes we send you by e-mail.",
                        )}
                    </li>
                    <li>
                        {l.pick(
                            "Si su cuenta está bloqueada, la desbloqueará; después podrá recuperar o solicitar su clave.",
                            "If your account is locked, they will unlock it; then you can recover your password or get one.",
                        )}
                    </li>
                </ol>
                <p>
                    {l.pick(
                        "Anote el número de referencia: se lo pedirán si llama usted.",
                        "Write down the reference number: you will be asked for it if you call us.",
                    )}
                </p>
                <OfficeHours/>
                <p><A href=Step::Home.path()>{l.pick("Volver al inicio", "Back to the home page")}</A></p>
            }
            .into_any(),
            None => view! {
                <h1 tabindex="-1">{l.pick("No encontramos esa solicitud", "We could not find that request")}</h1>
                <p>
                    {l.pick(
                        "El enlace está incompleto. Si ya envió su solicitud, espere nuestra llamada.",
                        "The link is incomplete. If you have already sent your request, wait for our call.",
                    )}
                </p>
                <p><A href=PAGE>{l.pick("Pedir que le llamemos", "Ask us to call you")}</A></p>
            }
            .into_any(),
        }}
    }
}
