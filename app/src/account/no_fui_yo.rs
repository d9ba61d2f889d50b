//! "No fui yo": the link in the notice mailed after a clave or e-mail change.
//!
//! Opening the link does nothing by itself (mail scanners open links): the
//! page has one button. Pressing it locks the account, signs out every
//! session, puts back a replaced e-mail and opens a staff case, whose number
//! is shown. Works for 10 days, once.
//!
//! Inputs: `t` (the link's token). Without JavaScript: a plain form post.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::domain::steps::Step;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const PAGE: &str = Step::NotMe.path();

#[server(endpoint = "no-fui-yo/ver")]
pub async fn notice_view(t: String) -> Result<bool, AppError> {
    use crate::services::{account, now_unix};
    use crate::web::{internal, state};
    let st = state();
    Ok(account::live_notice(&st.db, &t, now_unix())
        .await
        .map_err(internal("load notice"))?
        .is_some())
}

#[server(endpoint = "no-fui-yo")]
pub async fn no_fui_yo(t: Option<String>) -> Result<(), AppError> {
    use crate::services::{account, now_unix};
    use crate::web::{internal, state};
    let st = state();
    let case = account::report_not_me(&st.db, &t.unwrap_or_default(), now_unix())
        .await
        .map_err(internal("not me"))?;
    match case {
        Some(id) => leptos_axum::redirect(&format!("{PAGE}?caso={id}")),
        None => leptos_axum::redirect(&format!("{PAGE}?caso=no")),
    }
    Ok(())
}

#[component]
pub fn NoFuiYoPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("t").unwrap_or_default());
    let case = move || query.with(|q| q.get("caso"));
    let action = ServerAction::<NoFuiYo>::new();
    let live = Resource::new_blocking(token, notice_view);
    view! {
        {move || match case() {
            Some(c) if c != "no" => view! {
                <PageTitle text="Cuenta bloqueada por seguridad"/>
                <h1 tabindex="-1">"Bloqueamos su cuenta"</h1>
                <p>"Cerramos todas las sesiones y, si alguien cambió su correo, volvimos a poner el anterior."</p>
                <p>"Número de caso: " <strong class="case-number">{c}</strong></p>
                <p>"Nuestro personal se pondrá en contacto con usted. También puede llamarnos y dar ese número."</p>
                <OfficeHours/>
            }.into_any(),
            _ => view! {
                <Suspense fallback=|| view! { <p>"Cargando…"</p> }>
                    {move || live.get().map(|ok| {
                        if matches!(ok, Ok(true)) && case().is_none() {
                            view! {
                                <PageTitle text=Step::NotMe.title_es()/>
                                <h1 tabindex="-1">"¿Usted no hizo este cambio?"</h1>
                                <p>"Si pulsa el botón, bloquearemos su cuenta para que nadie pueda usarla, cerraremos todas las sesiones y volveremos a poner su correo anterior si lo cambiaron. Nuestro personal le ayudará a recuperar el acceso."</p>
                                <ActionForm action=action attr:novalidate="">
                                    <input type="hidden" name="t" value=token/>
                                    <button type="submit" class="button button-warning">"Bloquear mi cuenta"</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! {
                                <PageTitle text="Enlace no válido"/>
                                <h1 tabindex="-1">"Este enlace ya no funciona"</h1>
                                <p>"El enlace ya se usó o pasaron más de 10 días. Si alguien usa su cuenta sin permiso, llámenos en el horario de atención."</p>
                                <OfficeHours/>
                            }.into_any()
                        }
                    })}
                </Suspense>
            }.into_any(),
        }}
    }
}
