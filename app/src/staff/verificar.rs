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
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::StaffFactor.path();
pub fn wrong(l: Lang) -> &'static str {
    l.pick(
        "El código no es correcto o ya se usó. Escriba el código que su aplicación muestra ahora.",
        "The code is not right or has already been used. Enter the code your app shows now.",
    )
}

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
        .map_err(|m| FormErrors::default().error("codigo", m.get(crate::lang::lang())))
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
            FactorCheck::Wrong => Err(AppError::Form(
                FormErrors::default().error("codigo", wrong(lang())),
            )),
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
    let l = lang();
    let locked = move || {
        action.value().with(|v| match v {
            Some(Err(AppError::Locked(n))) => Some(l.pick(
                format!(
                    "Demasiados códigos equivocados para este usuario. Podrá intentarlo otra vez desde el {} (hora de Ecuador).",
                    n.until
                ),
                format!(
                    "Too many wrong codes for this user name. You can try again from {} (Ecuador time).",
                    n.until
                ),
            )),
            _ => None,
        })
    };
    let general = Signal::derive(move || locked().or_else(|| form.general().get()));
    let FactorView { username, enrol } = view;
    let enrolling = enrol.is_some();
    let (title, heading) = if enrolling {
        (
            l.pick(
                "Configure su segundo factor – Consola del personal",
                "Set up your second factor – Staff console",
            ),
            l.pick("Configure su segundo factor", "Set up your second factor"),
        )
    } else {
        (
            Step::StaffFactor.title(l),
            l.pick(
                "Escriba su código de verificación",
                "Enter your verification code",
            ),
        )
    };
    let hint = if enrolling {
        l.pick(
            "Las 6 cifras que su aplicación muestra ahora para esta cuenta.",
            "The 6 digits your app shows now for this account.",
        )
    } else {
        l.pick(
            "Las 6 cifras que su aplicación de autenticación muestra ahora, o uno de sus códigos de recuperación.",
            "The 6 digits your authenticator app shows now, or one of your recovery codes.",
        )
    };
    view! {
        <PageTitle text=title error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=general/>
        <h1 tabindex="-1">{heading}</h1>
        <p>{l.pick("Usuario: ", "User name: ")} <strong>{username}</strong></p>
        {enrol.map(|e| view! {
            <p>
                {l.pick(
                    "La consola del personal pide, además de la clave, un código que cambia cada 30 segundos. Se lo da una aplicación de autenticación en su teléfono (por ejemplo, FreeOTP, Google Authenticator o Microsoft Authenticator).",
                    "Besides the password, the staff console asks for a code that changes every 30 seconds. An authenticator app on your phone gives it to you (for example, FreeOTP, Google Authenticator or Microsoft Authenticator).",
                )}
            </p>
            <h2>{l.pick("1. Añada esta cuenta a su aplicación", "1. Add this account to your app")}</h2>
            <p>{l.pick("Escanee este código QR con la aplicación:", "Scan this QR code with the app:")}</p>
            <div
                class="qr-code"
                role="img"
                aria-label=l.pick(
                    "Código QR para añadir la cuenta a su aplicación de autenticación",
                    "QR code to add the account to your authenticator app",
                )
                inner_html=e.qr_svg
            ></div>
            <p>
                {l.pick(
                    "Si no puede escanearlo, escriba en la aplicación esta clave de configuración (tipo: basada en el tiempo):",
                    "If you cannot scan it, enter this setup key in the app (type: time-based):",
                )}
            </p>
            <p class="secret-text" id="secreto">{e.secret_groups}</p>
            <h2>{l.pick("2. Guarde sus códigos de recuperación", "2. Keep your recovery codes")}</h2>
            <p>
                {l.pick(
                    "Si pierde el teléfono, cada uno de estos códigos le deja entrar una sola vez. Escríbalos en papel y guárdelos en un lugar seguro; no se volverán a mostrar.",
                    "If you lose your phone, each of these codes lets you in once only. Write them down on paper and keep them somewhere safe; they will not be shown again.",
                )}
            </p>
            <ol class="recovery-codes" id="codigos-recuperacion">
                {e.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <h2>{l.pick("3. Escriba el código que muestra la aplicación", "3. Enter the code the app shows")}</h2>
        })}
        <ActionForm action=action attr:novalidate="" attr:class="form">
            <TextField
                id="codigo"
                label=l.pick("Código de verificación", "Verification code")
                hint=hint
                error=form.field_error("codigo")
                inputmode="text"
                autocomplete="one-time-code"
                class="input-width-10"
            />
            <button type="submit" class="button">
                {if enrolling {
                    l.pick("Activar y continuar", "Turn on and continue")
                } else {
                    l.pick("Continuar", "Continue")
                }}
            </button>
        </ActionForm>
        <p>
            {l.pick(
                "¿No tiene su teléfono ni sus códigos? Pida a un supervisor que restablezca su segundo factor.",
                "Don't have your phone or your codes? Ask a supervisor to reset your second factor.",
            )}
        </p>
    }
}
