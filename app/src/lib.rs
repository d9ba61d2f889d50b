//! Clave: self-service request and recovery of the online-services password.
//!
//! Pages, routes and server functions live here; the plain-Rust rules are in
//! [`domain`], and server-only code (database, settings) in `services`.

#![recursion_limit = "256"]

pub mod account;
#[cfg(feature = "hydrate")]
pub mod browser;
pub mod components;
pub mod contact;
pub mod dev_mailbox;
/// The rules in plain Rust, a crate of their own (`domain/`).
pub use domain;
pub mod error;
pub mod lang;
pub mod pages;
pub mod recovery;
pub mod request;
#[cfg(feature = "ssr")]
pub mod services;
pub mod shared_steps;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod web;
pub mod wizard;

use components::step::StepPath;
use domain::flow::FlowKind;
use domain::steps::Step;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Title};
#[cfg(feature = "ssr")]
use leptos_meta::{HashedStylesheet, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode,
};

/// The HTML document around the app (server-rendered once per page).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=lang::lang().tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // Loads the WASM only on a page with an island.
                <components::island_scripts::IslandScripts options=options.clone()/>
                // Its name carries the file's hash in a release build, so
                // browsers may keep it for a year (see server::app).
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let l = lang::lang();

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta
            name="description"
            content=l.pick(
                "Solicite o recupere su clave de servicios en línea.",
                "Get or recover your online services password.",
            )
        />
        <Title text=l.pick("Clave de servicios en línea", "Online services password")/>
        <Router>
            <components::layout::Layout>
                <Routes fallback=pages::NotFound>
                    <Route path=StepPath(Step::Home) view=pages::Home/>
                    <Route path=StepPath(Step::RecoveryStart) view=recovery::start::StartPage/>
                    <Route
                        path=StepPath(Step::RecoverySearch)
                        view=|| view! { <shared_steps::buscar::BuscarPage kind=FlowKind::Recovery/> }
                    />
                    <Route
                        path=StepPath(Step::RecoveryIdentity)
                        view=recovery::identidad::IdentidadPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryConfirm)
                        view=recovery::confirmar::ConfirmarPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryAllAnswers)
                        view=recovery::preguntas::SinCorreoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryNewEmail)
                        view=recovery::nuevo_correo::NuevoCorreoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryCode)
                        view=|| view! { <shared_steps::codigo::CodigoPage kind=FlowKind::Recovery/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryCodeLink)
                        view=|| view! { <shared_steps::codigo::EnlacePage kind=FlowKind::Recovery/> }
                    />
                    <Route
                        path=StepPath(Step::RecoveryQuestions)
                        view=recovery::preguntas::PreguntasPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryNewClave)
                        view=|| view! { <shared_steps::nueva_clave::NuevaClavePage kind=FlowKind::Recovery/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RecoveryDone)
                        view=|| view! { <shared_steps::listo::ListoPage kind=FlowKind::Recovery/> }
                        ssr=SsrMode::Async
                    />
                    <Route path=StepPath(Step::RequestStart) view=request::start::StartPage/>
                    <Route
                        path=StepPath(Step::RequestSearch)
                        view=|| view! { <shared_steps::buscar::BuscarPage kind=FlowKind::Request/> }
                    />
                    <Route
                        path=StepPath(Step::RequestIdentity)
                        view=request::identidad::IdentidadPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RequestContact)
                        view=request::contacto::ContactoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RequestCode)
                        view=|| view! { <shared_steps::codigo::CodigoPage kind=FlowKind::Request/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RequestCodeLink)
                        view=|| view! { <shared_steps::codigo::EnlacePage kind=FlowKind::Request/> }
                    />
                    <Route
                        path=StepPath(Step::RequestQuestions)
                        view=request::preguntas::PreguntasPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RequestNewClave)
                        view=|| view! { <shared_steps::nueva_clave::NuevaClavePage kind=FlowKind::Request/> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::RequestDone)
                        view=|| view! { <shared_steps::listo::ListoPage kind=FlowKind::Request/> }
                        ssr=SsrMode::Async
                    />
                    <Route path=StepPath(Step::Contact) view=pages::Contacto/>
                    <Route
                        path=StepPath(Step::Callback)
                        view=contact::llamada::LlamadaPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StepPath(Step::CallbackReceipt) view=contact::llamada::RecibidaPage/>
                    <Route path=StepPath(Step::SignIn) view=account::ingresar::IngresarPage/>
                    <Route path=StepPath(Step::StaffQueue) view=staff::cola::ColaPage ssr=SsrMode::Async/>
                    <Route path=StepPath(Step::StaffSignIn) view=staff::ingresar::StaffIngresarPage/>
                    <Route
                        path=StepPath(Step::StaffFactor)
                        view=staff::verificar::VerificarPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::StaffAffiliate)
                        view=staff::afiliado::AfiliadoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::StaffSupervision)
                        view=staff::supervision::SupervisionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::Services)
                        view=account::servicios::ServiciosPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::NotMe)
                        view=account::no_fui_yo::NoFuiYoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StepPath(Step::DevMailbox)
                        view=dev_mailbox::DevMailboxPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}
