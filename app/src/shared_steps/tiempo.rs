//! The flow's time limit on every step (WCAG 2.2.1): a flow left idle for
//! `CLAVE_FLOW_IDLE_SECS` ends. Each step says until when it stays open, as an
//! Ecuador clock time, with an *Ampliar el tiempo* button; two minutes before
//! the end (`domain::time_limit`) the person is warned.
//!
//! Inputs: `flujo` (hidden: which flow's page the button is on).
//! Reveals: nothing but the deadline of the flow behind the cookie.
//!
//! Without JavaScript: the button posts and the step's page comes back with the
//! new deadline ("Le dimos más tiempo"); the step's own form is a separate
//! form, so what was typed in it and not yet sent is typed again. With
//! JavaScript: the button extends the flow in place (nothing typed is lost),
//! and at the warning a dialog takes the focus and a live region speaks.

use crate::domain::flow::FlowKind;
use crate::error::AppError;
use crate::lang::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// When a flow ends if nothing happens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// "10:42" in Ecuador.
    pub until: String,
    pub seconds_left: i64,
}

#[cfg(feature = "ssr")]
impl Deadline {
    /// The deadline `expires_at` (Unix time), seen from now.
    pub fn at(expires_at: i64) -> Deadline {
        Deadline {
            until: crate::domain::ecuador_time::clock(expires_at),
            seconds_left: expires_at - crate::services::now_unix(),
        }
    }
}

/// The deadline of the live flow of `kind` behind the cookie; `None` when it
/// has none to extend (no flow, another kind, done or failed).
#[server(endpoint = "tramite/tiempo")]
pub async fn deadline_view(kind: FlowKind) -> Result<Option<Deadline>, AppError> {
    use crate::domain::flow::FlowState;
    let Some(found) = server::flow_of(kind).await? else {
        return Ok(None);
    };
    let over = matches!(found.state, FlowState::Done | FlowState::Failed);
    Ok((!over).then(|| Deadline::at(found.expires_at)))
}

/// *Ampliar el tiempo*: the flow's idle timeout starts again.
#[server(endpoint = "tramite/ampliar")]
pub async fn ampliar_tiempo(flujo: Option<String>) -> Result<Deadline, AppError> {
    let kind = FlowKind::from_form(flujo.as_deref());
    let result = server::ampliar(kind).await;
    crate::web::conclude(
        result,
        <AmpliarTiempo as leptos::server_fn::ServerFn>::PATH,
        crate::domain::steps::Step::search(kind).path(),
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::services::{flow, now_unix};
    use crate::web::{audit_cedula, flow_cookie_name, internal, request_cookie, state};

    pub async fn flow_of(kind: FlowKind) -> Result<Option<flow::Flow>, AppError> {
        let st = state();
        let Some(token) = request_cookie(flow_cookie_name(&st.settings)) else {
            return Ok(None);
        };
        let found = flow::find_live(&st.db, &token, now_unix())
            .await
            .map_err(internal("load flow"))?;
        Ok(found.filter(|f| f.kind == kind))
    }

    pub async fn ampliar(kind: FlowKind) -> Result<Deadline, AppError> {
        let st = state();
        let found = flow_of(kind).await?.ok_or(AppError::FlowExpired)?;
        audit_cedula(&found.cedula);
        let until = flow::extend(&st.db, &found.id, now_unix(), st.settings.flow_idle_secs)
            .await
            .map_err(internal("extend flow"))?
            .ok_or(AppError::FlowExpired)?;
        if crate::web::is_plain_form_post() {
            let page = found.state.path(kind);
            leptos_axum::redirect(&format!("{page}?ampliado=1"));
        }
        Ok(Deadline::at(until))
    }
}

/// What a [`TimeLimitNotice`] extends: a flow of some kind, the affiliate's
/// signed-in session, or a staff session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Extends {
    Flow(FlowKind),
    Session,
    Staff,
}

impl Extends {
    fn is_flow(self) -> bool {
        matches!(self, Extends::Flow(_))
    }

    fn button(self, l: Lang) -> &'static str {
        if self.is_flow() {
            l.pick("Ampliar el tiempo", "Extend the time")
        } else {
            l.pick("Seguir", "Stay signed in")
        }
    }

    fn lead(self, l: Lang) -> &'static str {
        if self.is_flow() {
            l.pick(
                "Por seguridad, este trámite se cierra si no lo usa. Seguirá abierto hasta las ",
                "For your security, this request closes if you do not use it. It will stay open until ",
            )
        } else {
            l.pick(
                "Por seguridad, su sesión se cierra si no la usa. Seguirá abierta hasta las ",
                "For your security, your session closes if you do not use it. It will stay open until ",
            )
        }
    }

    fn warning(self, until: &str, l: Lang) -> String {
        if self.is_flow() {
            l.pick(
                format!(
                    "Su trámite se cerrará a las {until} por inactividad. Pulse «Ampliar el tiempo» si necesita más."
                ),
                format!(
                    "Your request will close at {until} because it has not been used. Select “Extend the time” if you need more."
                ),
            )
        } else {
            l.pick(
                format!(
                    "Su sesión se cerrará a las {until} por inactividad. Pulse «Seguir» si quiere continuar."
                ),
                format!(
                    "Your session will close at {until} because it has not been used. Select “Stay signed in” if you want to carry on."
                ),
            )
        }
    }

    #[cfg(feature = "hydrate")]
    fn extended(self, until: &str, l: Lang) -> String {
        if self.is_flow() {
            l.pick(
                format!("Le dimos más tiempo: su trámite seguirá abierto hasta las {until}."),
                format!("We gave you more time: your request will stay open until {until}."),
            )
        } else {
            l.pick(
                format!("Le dimos más tiempo: su sesión seguirá abierta hasta las {until}."),
                format!("We gave you more time: your session will stay open until {until}."),
            )
        }
    }

    fn deadline_class(self) -> &'static str {
        if self.is_flow() {
            "flow-deadline"
        } else {
            "session-deadline"
        }
    }

    /// Where the button posts without JavaScript.
    fn action(self) -> &'static str {
        use leptos::server_fn::ServerFn;
        match self {
            Extends::Flow(_) => AmpliarTiempo::PATH,
            Extends::Session => crate::account::servicios::Seguir::PATH,
            Extends::Staff => crate::staff::PersonalSeguir::PATH,
        }
    }

    /// The hidden field the button's form posts (a staff form's `volver` is
    /// for a page load only).
    fn field(self) -> Option<(&'static str, &'static str)> {
        match self {
            Extends::Flow(kind) => Some(("flujo", kind.form_value())),
            _ => None,
        }
    }

    /// The same post as the button's form, answered with the new deadline.
    #[cfg(feature = "hydrate")]
    async fn extend(self) -> Result<Deadline, ()> {
        let fields = crate::browser::fields(self.field().as_slice());
        crate::browser::json(self.action(), Some(&fields)).await
    }
}

/// A deadline and the button that extends it: at the foot of every flow step
/// (`components::flow_step::FlowStep` loads it beside the step's data), on
/// the signed-in home and on every staff page.
///
/// An island. Without JavaScript it is a paragraph and a form that posts.
/// With JavaScript the same button extends in place, without leaving the page
/// (what was typed stays), and two minutes before the end a modal dialog takes
/// the focus with its own button while a live region says it; closing the
/// dialog gives the focus back where it was.
///
/// `volver`: the page a staff form comes back to without JavaScript.
#[island]
pub fn TimeLimitNotice(
    extends: Extends,
    d: Deadline,
    extended: bool,
    #[prop(optional)] volver: Option<String>,
) -> impl IntoView {
    let l = crate::lang::lang();
    let until = RwSignal::new(d.until);
    let said = RwSignal::new(None::<String>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // Bumped on every extension, so an outdated warning does nothing.
    let generation = StoredValue::new(0u64);
    let arm = move |seconds_left: i64| {
        generation.update_value(|g| *g += 1);
        #[cfg(feature = "hydrate")]
        {
            let mine = generation.get_value();
            let warn_in = crate::domain::time_limit::warn_in(seconds_left);
            gloo_timers::callback::Timeout::new(warn_in.saturating_mul(1_000), move || {
                // An outdated warning, or a step the wizard has since replaced.
                let Some(d) = dialog.get_untracked() else {
                    return;
                };
                if generation.get_value() != mine || !d.is_connected() {
                    return;
                }
                said.set(Some(extends.warning(&until.get_untracked(), l)));
                let _ = d.show_modal();
            })
            .forget();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = seconds_left;
    };
    arm(d.seconds_left);
    let extend = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let answer = extends.extend().await;
            if let Some(d) = dialog.get_untracked() {
                d.close();
            }
            match answer {
                Ok(d) => {
                    said.set(Some(extends.extended(&d.until, l)));
                    until.set(d.until);
                    arm(d.seconds_left);
                }
                Err(_) => said.set(Some(
                    l.pick(
                        "No pudimos ampliar el tiempo. Revise su conexión e inténtelo otra vez.",
                        "We could not extend the time. Check your connection and try again.",
                    )
                    .to_owned(),
                )),
            }
        });
    };
    let hidden = extends
        .field()
        .map(|(name, value)| (name, value.to_owned()))
        .or_else(|| volver.map(|v| ("volver", v)))
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> });
    view! {
        <div class="notice time-limit">
            <p aria-live="polite" aria-atomic="true" class="time-limit-status">
                {move || said.get()}
            </p>
            <p>
                {if extended { l.pick("Le dimos más tiempo. ", "We gave you more time. ") } else { "" }}
                {extends.lead(l)}
                <strong class=extends.deadline_class()>{move || until.get()}</strong>
                {l.pick(" (hora de Ecuador).", " (Ecuador time).")}
            </p>
            <form
                method="post"
                action=extends.action()
                novalidate=""
                on:submit=move |ev| {
                    ev.prevent_default();
                    extend();
                }
            >
                {hidden}
                <button type="submit" class="button button-secondary">
                    {extends.button(l)}
                </button>
            </form>
            <dialog
                node_ref=dialog
                class="time-limit-dialog"
                aria-labelledby="time-limit-title"
                aria-describedby="time-limit-text"
            >
                <h2 id="time-limit-title">{l.pick("¿Necesita más tiempo?", "Do you need more time?")}</h2>
                <p id="time-limit-text">{move || extends.warning(&until.get(), l)}</p>
                <button type="button" class="button" on:click=move |_| extend()>
                    {extends.button(l)}
                </button>
            </dialog>
        </div>
    }
}
