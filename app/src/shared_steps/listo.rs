//! Step 7, "Listo": the clave was reset (recuperar clave) or created (solicitar
//! clave). No automatic login: *Finalizar* goes to the login page.
//!
//! Reveals: nothing. Without JavaScript: a plain page and link.

use crate::components::flow_step::FlowStep;
use crate::components::step::StepTitle;
use crate::domain::flow::FlowKind;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[server(endpoint = "recuperar/listo/ver")]
pub async fn done_view(kind: FlowKind) -> Result<(), AppError> {
    crate::web::live_flow(kind, crate::domain::flow::FlowState::Done).await?;
    Ok(())
}

#[component]
pub fn ListoPage(kind: FlowKind) -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), move |_| done_view(kind));
    view! {
        <FlowStep
            data=data
            render=move |_| {
                let (heading, sessions) = match kind {
                    FlowKind::Recovery => (
                        l.pick(
                            "Su clave se ha restablecido correctamente",
                            "Your password has been reset",
                        ),
                        l.pick(
                            "Por seguridad cerramos todas las sesiones que estaban abiertas y le enviamos un aviso por correo. Si usted no hizo este cambio, use el enlace «No fui yo» de ese correo.",
                            "For your security, we signed out every session that was open and sent you a notice by e-mail. If you did not make this change, use the “It was not me” link in that e-mail.",
                        ),
                    ),
                    FlowKind::Request => (
                        l.pick("Su clave se ha creado correctamente", "Your password has been created"),
                        l.pick(
                            "Le enviamos un aviso por correo. Si usted no pidió esta clave, use el enlace «No fui yo» de ese correo.",
                            "We sent you a notice by e-mail. If you did not ask for this password, use the “It was not me” link in that e-mail.",
                        ),
                    ),
                };
                view! {
                    <StepTitle step=Step::done(kind)/>
                    <div class="panel-success">
                        <h1 tabindex="-1">{heading}</h1>
                    </div>
                    <p>
                        {l.pick(
                            "Ya puede ingresar a los servicios en línea con su cédula y su clave.",
                            "You can now sign in to online services with your ID number and your password.",
                        )}
                    </p>
                    <p>{sessions}</p>
                    <p>
                        {l.pick(
                            "Guarde su clave en un lugar seguro y no la comparta con nadie.",
                            "Keep your password in a safe place and do not share it with anyone.",
                        )}
                    </p>
                    <p>
                        <A href=Step::SignIn.path() attr:class="button">
                            {l.pick("Finalizar", "Finish")}
                        </A>
                    </p>
                }
            }
        />
    }
}
