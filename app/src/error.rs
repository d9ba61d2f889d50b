//! The error type every server function returns.
//!
//! It is serialised into the response (or, for a form posted without JavaScript,
//! into the redirect URL) so the page can render the error summary and put back
//! what the user typed. Internal failures carry no detail: they are logged on the
//! server and shown as one generic Spanish sentence.

use crate::lang::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One message attached to a form field (`field` is the input's `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A rejected form: what was wrong and the values to show again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormErrors {
    pub errors: Vec<FieldError>,
    pub values: Vec<(String, String)>,
}

impl FormErrors {
    pub fn with_value(mut self, field: &str, value: &str) -> Self {
        self.values.push((field.to_owned(), value.to_owned()));
        self
    }

    pub fn error(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn message_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn value_of(&self, field: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
    }
}

/// Why a cédula is locked for a while (SPEC §2.3, §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockReason {
    /// Too many wrong birth dates, códigos dactilares or security answers:
    /// recovery and request are locked.
    IdentityChecks,
    /// Too many wrong claves: login is locked.
    Logins,
}

/// What the locked page says: why, and until when (Ecuador time, as text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockNotice {
    pub reason: LockReason,
    /// "26/11/2026 a las 14:30".
    pub until: String,
}

impl LockNotice {
    pub fn why(&self, lang: Lang) -> &'static str {
        match self.reason {
            LockReason::IdentityChecks => lang.pick(
                "Con esta cédula se escribieron varias veces datos que no coinciden con nuestro registro (fecha de nacimiento, código dactilar o respuestas de seguridad). Para protegerla, por un tiempo no se puede recuperar ni solicitar la clave con ella.",
                "Details that do not match our records (date of birth, fingerprint code or security answers) were entered several times with this ID number. To protect it, you cannot recover or get a password with it for a while.",
            ),
            LockReason::Logins => lang.pick(
                "Con esta cédula se escribió varias veces una clave equivocada. Para proteger la cuenta, por un tiempo no se puede ingresar con ella. Si olvidó su clave, recupérela: eso también quita este bloqueo.",
                "A wrong password was entered several times with this ID number. To protect the account, you cannot sign in with it for a while. If you forgot your password, recover it: that also removes this lock.",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input: shown in the error summary and beside each field.
    #[error("formulario con errores")]
    Form(FormErrors),
    /// Too many attempts from this client or for this cédula.
    #[error("demasiados intentos")]
    RateLimited(FormErrors),
    /// The server is too busy to check a secret now (the hashing queue is
    /// full): nothing was compared and no try was spent; the values typed are
    /// kept so the user can send the form again.
    #[error("servidor ocupado")]
    Busy(FormErrors),
    /// The database cannot be reached (restarting, or the network to it is
    /// down): nothing was written; the same request works once it is back.
    #[error("servicio no disponible")]
    Unavailable,
    /// The flow cookie is missing, unknown or past its idle timeout.
    #[error("el trámite caducó")]
    FlowExpired,
    /// The step was posted (or opened) out of order; the flow waits at `resume`.
    #[error("paso no permitido")]
    WrongStep { resume: String },
    /// Too many failed checks ended the flow.
    #[error("demasiados intentos fallidos")]
    FlowFailed,
    /// Recovery, request or login is locked for this cédula for a while.
    #[error("bloqueado temporalmente")]
    Locked(LockNotice),
    /// Recuperar clave for a cédula that never had a clave.
    #[error("todavía no tiene clave")]
    NoClaveYet,
    /// Solicitar clave for a cédula that already has one.
    #[error("ya tiene clave")]
    HasClave,
    /// The account is locked until staff unlock it.
    #[error("cuenta bloqueada")]
    AccountLocked,
    /// No live session: the affiliate must sign in (again).
    #[error("sesión terminada")]
    SignedOut,
    /// No live staff session: the staff user must sign in (again).
    #[error("sesión del personal terminada")]
    StaffSignedOut,
    /// Signed in, but not allowed to do this (an affiliate on a staff page,
    /// an agent on a supervisor's).
    #[error("sin permiso")]
    Forbidden,
    /// What a staff user asked for does not exist.
    #[error("no encontrado")]
    NotFound,
    /// Anything else: logged on the server, never described to the user.
    #[error("error interno")]
    Internal,
    /// Transport or (de)serialisation failure inside the server-function machinery.
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

impl AppError {
    /// The form part of the error, if the page should show field messages.
    pub fn form(&self) -> Option<&FormErrors> {
        match self {
            AppError::Form(f) | AppError::RateLimited(f) | AppError::Busy(f) => Some(f),
            _ => None,
        }
    }

    /// The outcome word the audit log records for this error.
    pub fn audit_outcome(&self) -> &'static str {
        match self {
            AppError::Form(_) => "refused",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Busy(_) => "busy",
            AppError::Unavailable => "unavailable",
            AppError::FlowExpired => "expired",
            AppError::WrongStep { .. } => "wrong_step",
            AppError::FlowFailed => "flow_failed",
            AppError::Locked(_) => "locked",
            AppError::AccountLocked => "account_locked",
            AppError::NoClaveYet => "no_clave",
            AppError::HasClave => "has_clave",
            AppError::SignedOut | AppError::StaffSignedOut => "signed_out",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Internal => "internal_error",
            AppError::ServerFn(_) => "bad_request",
        }
    }

    /// A sentence for errors that are not about one field, in `lang`.
    pub fn general_message(&self, lang: Lang) -> Option<&'static str> {
        match self {
            AppError::Form(_) | AppError::RateLimited(_) => None,
            AppError::Busy(_) => Some(lang.pick(
                "En este momento hay muchas personas usando el sistema y no pudimos revisar sus datos. No se contó como intento: espere unos segundos y vuelva a enviar el formulario.",
                "Many people are using the system right now and we could not check your details. This did not count as an attempt: wait a few seconds and send the form again.",
            )),
            AppError::Unavailable => Some(lang.pick(
                "En este momento el sistema no está disponible. No se guardó ni se contó nada de este envío: espere un minuto y vuelva a enviar el formulario.",
                "The system is not available right now. Nothing from this submission was saved or counted: wait a minute and send the form again.",
            )),
            AppError::Locked(notice) => Some(notice.why(lang)),
            AppError::NoClaveYet => Some(lang.pick(
                "Esta cédula todavía no tiene una clave, así que no hay nada que recuperar. Puede crear su primera clave con «Solicitar clave».",
                "This ID number does not have a password yet, so there is nothing to recover. You can create your first password with “Get a password”.",
            )),
            AppError::HasClave => Some(lang.pick(
                "Esta cédula ya tiene una clave. Si no la recuerda, puede crear una nueva con «Recuperar clave».",
                "This ID number already has a password. If you do not remember it, you can create a new one with “Recover your password”.",
            )),
            AppError::FlowExpired => Some(lang.pick(
                "Su trámite caducó por inactividad. Por seguridad debe empezar de nuevo.",
                "Your request expired because it was not used for a while. For your security, you need to start again.",
            )),
            AppError::WrongStep { .. } => Some(lang.pick(
                "Ese paso no corresponde ahora. Continúe su trámite desde el paso en el que se quedó.",
                "That step is not the one to do now. Continue your request from the step where you left off.",
            )),
            AppError::FlowFailed => Some(lang.pick(
                "Por seguridad terminamos este trámite después de varios datos incorrectos. Puede empezar de nuevo o pedir que le llamemos.",
                "For your security, we ended this request after several incorrect details. You can start again or ask us to call you.",
            )),
            AppError::SignedOut => Some(lang.pick(
                "Su sesión terminó. Por seguridad cerramos las sesiones sin actividad; ingrese otra vez.",
                "Your session ended. For your security, we close inactive sessions; sign in again.",
            )),
            AppError::StaffSignedOut => Some(lang.pick(
                "Su sesión del personal terminó o no ha ingresado. Ingrese con su usuario del personal.",
                "Your staff session ended or you have not signed in. Sign in with your staff user name.",
            )),
            AppError::Forbidden => Some(lang.pick(
                "No tiene permiso para esta página o esta acción. Si cree que debería tenerlo, hable con su supervisor.",
                "You do not have permission for this page or action. If you think you should, talk to your supervisor.",
            )),
            AppError::NotFound => Some(lang.pick(
                "No encontramos lo que busca. Puede que otra persona ya lo haya cambiado.",
                "We could not find what you are looking for. Someone else may have changed it already.",
            )),
            AppError::AccountLocked => Some(lang.pick(
                "Su cuenta está bloqueada por seguridad. Para desbloquearla, pida que le llamemos o acérquese a una oficina del Instituto.",
                "Your account is locked for security. To unlock it, ask us to call you or visit an office of the Institute.",
            )),
            AppError::Internal | AppError::ServerFn(_) => Some(lang.pick(
                "No pudimos completar la solicitud por un problema del sistema. Inténtelo de nuevo en unos minutos.",
                "We could not complete your request because of a system problem. Try again in a few minutes.",
            )),
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Form(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy(_) | AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::FlowExpired => StatusCode::GONE,
            AppError::WrongStep { .. } | AppError::NoClaveYet | AppError::HasClave => {
                StatusCode::CONFLICT
            }
            AppError::FlowFailed => StatusCode::GONE,
            AppError::Locked(_) | AppError::AccountLocked => StatusCode::FORBIDDEN,
            AppError::SignedOut | AppError::StaffSignedOut => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::ServerFn(ServerFnErrorErr::Args(_))
            | AppError::ServerFn(ServerFnErrorErr::Deserialization(_)) => StatusCode::BAD_REQUEST,
            AppError::Internal | AppError::ServerFn(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds to wait before sending the same request again (`Retry-After`),
    /// for the errors that pass by themselves.
    #[cfg(feature = "ssr")]
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::Busy(_) => Some(crate::services::hashing::RETRY_AFTER_SECS),
            AppError::Unavailable => Some(crate::services::db::RETRY_AFTER_SECS),
            _ => None,
        }
    }
}
