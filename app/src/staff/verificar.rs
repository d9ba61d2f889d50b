//! The staff second factor at `/personal/verificar`, after a right password
//! (see [`crate::services::staff_factor`]).
//!
//! Two faces, decided on the server by the account:
//! - **Not enrolled yet** (first sign-in, or after a supervisor's reset): the
//!   QR code for an authenticator app, the same secret as text to type in,
//!   the ten recovery codes to keep, and the field for the app's first code.
//! - **Enrolled**: the field only; it takes the app's six digits or one
//!   recovery code (each good once).
//!
//! Inputs: `codigo`.
//! Reveals: nothing before the password; after it, only to that session.
//! Five wrong codes in 15 minutes lock the user name's factor; a code is good
//! once, also when sent twice at once. The password-only session lasts 10
//! minutes; the full session gets a new id.
//! Without JavaScript: the page is server-rendered (the QR code is inline SVG)
//! and the form is a plain post; the full session's cookie is set by the
//! redirect to the queue.

use super::StaffFrame;
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::StaffFactor.path();
pub const WRONG: &str =
    "El código no es correcto o ya se usó. Escriba el código que su aplicación muestra ahora.";

/// What the enrolment face shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolView {
    /// The QR code of the app's `otpauth://` link, as an SVG document.
    pub qr_svg: String,
    /// The secret in groups of four, to type into the app.
    pub secret_groups: String,
    /// "ABCDE-FGHJK", ten of them.
    pub recovery_codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorView {
    pub username: String,
    /// `Some` until the account is enrolled.
    pub enrol: Option<EnrolView>,
}

#[server(endpoint = "personal/factor")]
pub async fn factor_ver() -> Result<FactorView, AppError> {
    crate::web::view_result(server::factor_ver().await)
}

#[server(endpoint = "personal/verificar")]
pub async fn personal_verificar(codigo: Option<String>) -> Result<(), AppError> {
    let result = server::verificar(codigo.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <PersonalVerificar as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

pub fn validate_form(codigo: &str) -> Result<crate::domain::staff::FactorInput, FormErrors> {
    crate::domain::staff::parse_factor_input(codigo)
        .map_err(|m| FormErrors::default().error("codigo", m))
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::staff::show_recovery_code;
    use crate::error::LockReason;
    use crate::services::now_unix;
    use crate::services::staff_factor::{check, page, waiting_user, FactorCheck, FactorPage};
    use crate::web::{
        internal, request_cookie, set_cookie, staff_cookie, staff_cookie_name, state,
    };

    fn token() -> Option<String> {
        request_cookie(staff_cookie_name(&state().settings))
    }

    pub async fn factor_ver() -> Result<FactorView, AppError> {
        let st = state();
        let Some(token) = token() else {
            return Err(AppError::StaffSignedOut);
        };
        match page(&st.db, &st.settings, &token, now_unix())
            .await
            .map_err(internal("staff factor page"))?
        {
            None => Err(AppError::StaffSignedOut),
            Some(FactorPage::Verify { username }) => Ok(FactorView {
                username,
                enrol: None,
            }),
            Some(FactorPage::Enrol {
                username,
                enrolment,
            }) => {
                let qr = qrcode::QrCode::new(enrolment.otpauth_url.as_bytes())
                    .map_err(|e| internal("QR code")(sea_orm::DbErr::Custom(e.to_string())))?;
                let qr_svg = qr
                    .render::<qrcode::render::svg::Color>()
                    .min_dimensions(200, 200)
                    .build();
                let secret_groups = enrolment
                    .secret_base32
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ");
                Ok(FactorView {
                    username,
                    enrol: Some(EnrolView {
                        qr_svg: without_xml_declaration(&qr_svg).to_owned(),
                        secret_groups,
                        recovery_codes: enrolment
                            .recovery_codes
                            .iter()
                            .map(|c| show_recovery_code(c))
                            .collect(),
                    }),
                })
            }
        }
    }

    /// The SVG element alone: it goes inside the HTML page.
    fn without_xml_declaration(svg: &str) -> &str {
        svg.find("<svg").map_or(svg, |i| &svg[i..])
    }

    pub async fn verificar(codigo: String) -> Result<(), AppError> {
        let codigo: String = codigo.chars().take(64).collect();
        let typed = validate_form(&codigo).map_err(AppError::Form)?;
        let st = state();
        let Some(token) = token() else {
            return Err(AppError::StaffSignedOut);
        };
        let now = now_unix();
        if let Some(username) = waiting_user(&st.db, &token, now)
            .await
            .map_err(internal("staff factor"))?
        {
            crate::web::audit_staff_actor(&username);
        }
        match check(&st.db, &st.settings, &token, &typed, now)
            .await
            .map_err(internal("staff factor"))?
        {
            FactorCheck::Passed {
                token,
                recovery_codes_left,
            } => {
                if let Some(left) = recovery_codes_left {
                    crate::web::audit_detail(&format!(
                        "usó un código de recuperación; quedan {left}"
                    ));
                }
                set_cookie(&staff_cookie(&st.settings, &token));
                leptos_axum::redirect(crate::staff::HOME);
                Ok(())
            }
            FactorCheck::Wrong => Err(AppError::Form(FormErrors::default().error("codigo", WRONG))),
            FactorCheck::Locked { until } => Err(crate::web::locked(LockReason::Logins, until)),
            FactorCheck::NoSession => Err(AppError::StaffSignedOut),
        }
    }
}

#[component]
pub fn VerificarPage() -> impl IntoView {
    let action = ServerAction::<PersonalVerificar>::new();
    let data = Resource::new_blocking(|| (), |_| factor_ver());
    view! {
        <StaffFrame data=data render=move |v: FactorView| view! { <Verificar view=v action=action/> }/>
    }
}

#[component]
fn Verificar(view: FactorView, action: ServerAction<PersonalVerificar>) -> impl IntoView {
    let form = FormState::of(action);
    let locked = move || {
        action.value().with(|v| match v {
            Some(Err(AppError::Locked(n))) => Some(format!(
                "Demasiados códigos equivocados para este usuario. Podrá intentarlo otra vez desde el {} (hora de Ecuador).",
                n.until
            )),
            _ => None,
        })
    };
    let general = Signal::derive(move || locked().or_else(|| form.general().get()));
    let FactorView { username, enrol } = view;
    let enrolling = enrol.is_some();
    let (title, heading) = if enrolling {
        (
            "Configure su segundo factor – Consola del personal",
            "Configure su segundo factor",
        )
    } else {
        (
            Step::StaffFactor.title_es(),
            "Escriba su código de verificación",
        )
    };
    let hint = if enrolling {
        "Las 6 cifras que su aplicación muestra ahora para esta cuenta."
    } else {
        "Las 6 cifras que su aplicación de autenticación muestra ahora, o uno de sus códigos de recuperación."
    };
    view! {
        <PageTitle text=title error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=general/>
        <h1 tabindex="-1">{heading}</h1>
        <p>"Usuario: " <strong>{username}</strong></p>
        {enrol.map(|e| view! {
            <p>"La consola del personal pide, además de la clave, un código que cambia cada 30 segundos. Se lo da una aplicación de autenticación en su teléfono (por ejemplo, FreeOTP, Google Authenticator o Microsoft Authenticator)."</p>
            <h2>"1. Añada esta cuenta a su aplicación"</h2>
            <p>"Escanee este código QR con la aplicación:"</p>
            <div class="qr-code" role="img" aria-label="Código QR para añadir la cuenta a su aplicación de autenticación" inner_html=e.qr_svg></div>
            <p>"Si no puede escanearlo, escriba en la aplicación esta clave de configuración (tipo: basada en el tiempo):"</p>
            <p class="secret-text" id="secreto">{e.secret_groups}</p>
            <h2>"2. Guarde sus códigos de recuperación"</h2>
            <p>"Si pierde el teléfono, cada uno de estos códigos le deja entrar una sola vez. Escríbalos en papel y guárdelos en un lugar seguro; no se volverán a mostrar."</p>
            <ol class="recovery-codes" id="codigos-recuperacion">
                {e.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <h2>"3. Escriba el código que muestra la aplicación"</h2>
        })}
        <ActionForm action=action attr:novalidate="" attr:class="form">
            <TextField
                id="codigo"
                label="Código de verificación"
                hint=hint
                error=form.field_error("codigo")
                inputmode="text"
                autocomplete="one-time-code"
                class="input-width-10"
            />
            <button type="submit" class="button">
                {if enrolling { "Activar y continuar" } else { "Continuar" }}
            </button>
        </ActionForm>
        <p>"¿No tiene su teléfono ni sus códigos? Pida a un supervisor que restablezca su segundo factor."</p>
    }
}
