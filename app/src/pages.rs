//! Pages outside the flows: home and not found.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::components::step::StepTitle;
use crate::domain::steps::{Step, NOT_FOUND_TITLE};
use crate::lang::lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let l = lang();
    view! {
        <PageTitle text=Step::Home.title(l)/>
        <h1 tabindex="-1">{l.pick("Clave de servicios en línea", "Online services password")}</h1>
        <p class="lead">
            {l.pick(
                "Con su clave puede consultar y hacer trámites en línea del Instituto sin ir a una oficina.",
                "With your password you can check your details and use the Institute's services online, without going to an office.",
            )}
        </p>
        <ul class="entry-list">
            <li>
                <h2 class="entry-title">
                    <A href=Step::SignIn.path()>{l.pick("Ingresar", "Sign in")}</A>
                </h2>
                <p>
                    {l.pick(
                        "Si ya tiene su clave: entre a sus servicios en línea.",
                        "If you already have your password: go to your online services.",
                    )}
                </p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::RequestStart.path()>{l.pick("Solicitar clave", "Get a password")}</A>
                </h2>
                <p>
                    {l.pick(
                        "Si nunca ha tenido una clave: créela por primera vez.",
                        "If you have never had a password: create one for the first time.",
                    )}
                </p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::RecoveryStart.path()>
                        {l.pick("Recuperar clave", "Recover your password")}
                    </A>
                </h2>
                <p>
                    {l.pick(
                        "Si ya tuvo una clave y la olvidó, o no puede ingresar con ella.",
                        "If you had a password and forgot it, or you cannot sign in with it.",
                    )}
                </p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::Callback.path()>{l.pick("Vivo en el exterior", "I live abroad")}</A>
                </h2>
                <p>
                    {l.pick(
                        "Deje su número y nuestro personal le llamará para ayudarle con su clave.",
                        "Leave your number and our staff will call you to help with your password.",
                    )}
                </p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::Contact.path()>{l.pick("Contacto", "Contact")}</A>
                </h2>
                <p>
                    {l.pick(
                        "Si su cuenta está bloqueada o no puede confirmar sus datos en línea, nuestro personal puede ayudarle.",
                        "If your account is locked or you cannot confirm your details online, our staff can help you.",
                    )}
                </p>
            </li>
        </ul>
        <OfficeHours/>
    }
}

/// Where contact is offered: the office hours and how to be helped when the
/// self-service flows cannot be completed (locked account, no access to the
/// registered data, living abroad).
#[component]
pub fn Contacto() -> impl IntoView {
    let l = lang();
    view! {
        <StepTitle step=Step::Contact/>
        <h1 tabindex="-1">{l.pick("Contacto y ayuda", "Contact and help")}</h1>
        <p class="lead">
            {l.pick(
                "Nuestro personal puede confirmar su identidad y desbloquear su cuenta cuando no puede hacerlo en línea.",
                "Our staff can confirm your identity and unlock your account when you cannot do it online.",
            )}
        </p>
        <OfficeHours local=true/>
        <h2>
            {l.pick(
                "Si su cuenta está bloqueada por intentos fallidos",
                "If your account is locked after failed attempts",
            )}
        </h2>
        <p>
            {l.pick(
                "El bloqueo se quita solo después del tiempo indicado en la página de bloqueo. Después puede ",
                "The lock ends by itself after the time shown on the lock page. Then you can ",
            )}
            <A href=Step::RecoveryStart.path()>
                {l.pick("recuperar su clave", "recover your password")}
            </A>
            {l.pick(" o ", " or ")}
            <A href=Step::RequestStart.path()>
                {l.pick("solicitarla por primera vez", "get one for the first time")}
            </A>
            "."
        </p>
        <h2>
            {l.pick(
                "Si no puede esperar, o vive en el exterior",
                "If you cannot wait, or you live abroad",
            )}
        </h2>
        <p>
            {l.pick(
                "Deje su número y le llamaremos en el horario de atención para confirmar su identidad y desbloquear su cuenta. Nunca le pediremos su clave ni los códigos que le enviamos por correo.",
                "Leave your number and we will call you during opening hours to confirm your identity and unlock your account. We will never ask for your password or the codes we send you by e-mail.",
            )}
        </p>
        <p>
            <A href=Step::Callback.path() attr:class="button">
                {l.pick("Pedir que me llamen", "Ask us to call me")}
            </A>
        </p>
        <p>
            {l.pick(
                "También puede acercarse con su cédula a cualquier oficina del Instituto en el horario de atención.",
                "You can also visit any office of the Institute with your ID card (cédula) during opening hours.",
            )}
        </p>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    let l = lang();
    view! {
        <PageTitle text=NOT_FOUND_TITLE.get(l)/>
        <h1 tabindex="-1">{l.pick("No encontramos esa página", "We could not find that page")}</h1>
        <p>
            {l.pick(
                "Revise la dirección o vuelva al inicio.",
                "Check the address or go back to the home page.",
            )}
        </p>
        <p>
            <A href=Step::Home.path()>{l.pick("Ir al inicio", "Go to the home page")}</A>
        </p>
    }
}
