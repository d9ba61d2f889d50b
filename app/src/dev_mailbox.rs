//! The development mailbox: in the embedded default run (development mode, no
//! SMTP configured) mail is "delivered" here instead of to real people. The
//! page says so in a banner; in production mode it does not exist (404).

use crate::components::layout::PageTitle;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::DevMailbox.path();

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevMailItem {
    pub id: i32,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub links: Vec<String>,
}

/// Mail delivered to the development mailbox, newest first; `None` when the
/// mailbox is off.
#[server(endpoint = "dev/correo", input = leptos::server_fn::codec::GetUrl)]
pub async fn dev_mail() -> Result<Option<Vec<DevMailItem>>, AppError> {
    use crate::web::{internal, state};
    let st = state();
    if !st.settings.dev_mailbox() {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::NOT_FOUND);
        }
        return Ok(None);
    }
    let rows = crate::services::mail::dev_mailbox(&st.db, 50)
        .await
        .map_err(internal("dev mailbox"))?;
    Ok(Some(
        rows.into_iter()
            .map(|r| DevMailItem {
                id: r.id,
                links: r
                    .body_text
                    .split_whitespace()
                    .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                    .map(str::to_owned)
                    .collect(),
                to: r.to_address,
                subject: r.subject,
                text: r.body_text,
            })
            .collect(),
    ))
}

#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let l = lang();
    let mail = Resource::new_blocking(|| (), |_| dev_mail());
    view! {
        <PageTitle text=Step::DevMailbox.title(l)/>
        <Suspense fallback=move || view! { <p>{l.pick("Cargando…", "Loading…")}</p> }>
            {move || mail.get().map(|r| match r {
                Ok(Some(list)) => view! {
                    <div class="dev-banner">
                        <strong>{l.pick("Solo para desarrollo. ", "Development only. ")}</strong>
                        {l.pick(
                            "Estos correos no se enviaron a nadie: el servidor funciona sin servidor de correo y los deja aquí. En producción esta página no existe.",
                            "These e-mails were not sent to anyone: the server runs without a mail server and leaves them here. This page does not exist in production.",
                        )}
                    </div>
                    <h1 tabindex="-1">{l.pick("Buzón de desarrollo", "Development mailbox")}</h1>
                    <p><a href=PAGE>{l.pick("Actualizar", "Refresh")}</a></p>
                    {if list.is_empty() {
                        view! { <p>{l.pick("Todavía no hay correos.", "No e-mails yet.")}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="mail-list">
                                {list.into_iter().map(|m| view! {
                                    <li class="mail-item">
                                        <h2 class="mail-subject">{m.subject}</h2>
                                        <p>{l.pick("Para: ", "To: ")} <span class="mail-to">{m.to}</span></p>
                                        <pre class="mail-body">{m.text}</pre>
                                        {m.links.into_iter().map(|link| view! {
                                            <p>
                                                <a href=link rel="noreferrer">
                                                    {l.pick(
                                                        format!("Abrir el enlace del correo {}", m.id),
                                                        format!("Open the link in e-mail {}", m.id),
                                                    )}
                                                </a>
                                            </p>
                                        }).collect_view()}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                }.into_any(),
                _ => view! {
                    <h1 tabindex="-1">{l.pick("No encontramos esa página", "We could not find that page")}</h1>
                    <p>
                        {l.pick(
                            "El buzón de desarrollo solo existe en el modo de desarrollo.",
                            "The development mailbox only exists in development mode.",
                        )}
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
