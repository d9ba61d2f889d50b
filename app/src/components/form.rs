//! What a step's form shows after a submission: the error summary, the message
//! beside each field and the values to put back, from the server's answer (a
//! form posts as a whole page; the same checks run nowhere else).

use crate::error::{AppError, FieldError, FormErrors};
use leptos::prelude::*;

/// The error state of one form.
#[derive(Clone, Copy)]
pub struct FormState {
    server: Signal<Option<AppError>>,
    /// What a form posted without JavaScript typed, kept on the server for
    /// this page (the error in the URL carries no typed value).
    echo: StoredValue<Vec<(String, String)>>,
}

/// The typed values this page's request brought back from the server (a
/// form posted without JavaScript; see `web::form_echo`).
fn echoed_values() -> Vec<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        crate::web::form_echo()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}

impl FormState {
    pub fn new(server: Signal<Option<AppError>>) -> Self {
        // A form posted without JavaScript that found the server too busy or
        // its database away is sent back here: the page itself then says 503
        // and when to retry.
        #[cfg(feature = "ssr")]
        if let Some(err) = server.get_untracked() {
            crate::web::page_says_retry_later(&err);
        }
        FormState {
            server,
            echo: StoredValue::new(echoed_values()),
        }
    }

    /// What the user typed in `field`: from the server's answer, or kept on
    /// the server for this page (after an error, or after the language switch,
    /// which sends the person back to the same step without one).
    fn typed(self, field: &str) -> Option<String> {
        self.form().and_then(|f| f.value_of(field)).or_else(|| {
            self.echo
                .with_value(|e| e.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()))
        })
    }

    /// From a server action: its last error, if any.
    pub fn of<S>(action: ServerAction<S>) -> Self
    where
        S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        Self::new(Signal::derive(move || {
            action.value().get().and_then(Result::err)
        }))
    }

    fn form(self) -> Option<FormErrors> {
        self.server.get().and_then(|e| e.form().cloned())
    }

    /// The server's error when it is about the flow rather than the form.
    pub fn flow_problem(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.server.get().filter(|e| {
                matches!(
                    e,
                    AppError::FlowExpired
                        | AppError::FlowFailed
                        | AppError::WrongStep { .. }
                        | AppError::AccountLocked
                        | AppError::Locked(_)
                        | AppError::NoClaveYet
                        | AppError::HasClave
                )
            })
        })
    }

    pub fn general(self) -> Signal<Option<String>> {
        let l = crate::lang::lang();
        Signal::derive(move || {
            self.server
                .get()
                .and_then(|e| e.general_message(l).map(str::to_owned))
        })
    }

    pub fn errors(self) -> Signal<Vec<FieldError>> {
        Signal::derive(move || self.form().map(|f| f.errors).unwrap_or_default())
    }

    pub fn has_error(self) -> Signal<bool> {
        let general = self.general();
        Signal::derive(move || self.form().is_some() || general.with(Option::is_some))
    }

    pub fn field_error(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.form().and_then(|f| f.message_for(field)))
    }

    /// [`Self::field_error`] for a field named at run time (one per row).
    pub fn field_error_owned(self, field: String) -> Signal<Option<String>> {
        Signal::derive(move || self.form().and_then(|f| f.message_for(&field)))
    }

    /// [`Self::value`] for a field named at run time.
    pub fn value_owned(self, field: String) -> Signal<Option<String>> {
        Signal::derive(move || self.typed(&field))
    }

    pub fn value(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.typed(field))
    }
}
