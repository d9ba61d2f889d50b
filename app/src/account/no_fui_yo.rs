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
use crate::lang::lang;
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
    let l = lang();
    view! {
        {move || match case() {
            Some(c) if c != "no" => view! {
                <PageTitle text=l.pick("Cuenta bloqueada por seguridad", "Account locked for security")/>
                <h1 tabindex="-1">{l.pick("Bloqueamos su cuenta", "We have locked your account")}</h1>
                <p>
                    {l.pick(
                        "Cerramos todas las sesiones y, si alguien cambió su correo, volvimos a poner el anterior.",
                        "We signed out every session and, if someone changed your e-mail address, we put the previous one back.",
                    )}
                </p>
                <p>{l.pick("Número de caso: ", "Case number: ")} <strong class="case-number">{c}</strong></p>
                <p>
                    {l.pick(
                        "Nuestro personal se pondrá en contacto con usted. También puede llamarnos y dar ese número.",
                        "Our staff will contact you. You can also call us and give that number.",
                    )}
                </p>
                <OfficeHours/>
            }.into_any(),
            _ => view! {
                <Suspense fallback=move || view! { <p>{l.pick("Cargando…", "Loading…")}</p> }>
                    {move || live.get().map(|ok| {
                        if matches!(ok, Ok(true)) && case().is_none() {
                            view! {
                                <PageTitle text=Step::NotMe.title(l)/>
                                <h1 tabindex="-1">{l.pick("¿Usted no hizo este cambio?", "Did you not make this change?")}</h1>
                                <p>
                                    {l.pick(
                                        "Si pulsa el botón, bloquearemos su cuenta para que nadie pueda usarla, cerraremos todas las sesiones y volveremos a poner su correo anterior si lo cambiaron. Nuestro personal le ayudará a recuperar el acceso.",
                                        "If you press the button, we will lock your account so that nobody can use it, sign out every session and put your previous e-mail address back if it was changed. Our staff will help you get access again.",
                                    )}
                                </p>
                                <ActionForm action=action attr:novalidate="">
                                    <input type="hidden" name="t" value=token/>
                                    <button type="submit" class="button button-warning">
                                        {l.pick("Bloquear mi cuenta", "Lock my account")}
                                    </button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! {
                                <PageTitle text=l.pick("Enlace no válido", "Link not valid")/>
                                <h1 tabindex="-1">{l.pick("Este enlace ya no funciona", "This link no longer works")}</h1>
                                <p>
                                    {l.pick(
                                        "El enlace ya se usó o pasaron más de 10 días. Si alguien usa su cuenta sin permiso, llámenos en el horario de atención.",
                                        "The link has already been used or is more than 10 days old. If someone is using your account without permission, call us during opening hours.",
                                    )}
                                </p>
                                <OfficeHours/>
                            }.into_any()
                        }
                    })}
                </Suspense>
            }.into_any(),
        }}
    }
}
