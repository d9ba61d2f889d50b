//! Clave: self-service request and recovery of the online-services password.
//!
//! Pages, routes and server functions live here; the plain-Rust rules are in
//! [`domain`], and server-only code (database, settings) in `services`.

#![recursion_limit = "256"]

pub mod account;
pub mod components;
pub mod dev_mailbox;
pub mod domain;
pub mod error;
pub mod pages;
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod web;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app (server-rendered once per page).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="es">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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

    view! {
        <Stylesheet id="leptos" href="/pkg/clave.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="description" content="Solicite o recupere su clave de servicios en línea."/>
        <Title text="Clave de servicios en línea"/>
        <Router>
            <components::layout::Layout>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Home/>
                    <Route path=path!("/recuperar") view=recovery::start::StartPage/>
                    <Route path=path!("/recuperar/buscar") view=recovery::buscar::BuscarPage/>
                    <Route
                        path=path!("/recuperar/identidad")
                        view=recovery::identidad::IdentidadPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/confirmar")
                        view=recovery::confirmar::ConfirmarPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/sin-correo")
                        view=recovery::preguntas::SinCorreoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/nuevo-correo")
                        view=recovery::nuevo_correo::NuevoCorreoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/codigo")
                        view=recovery::codigo::CodigoPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/recuperar/codigo/enlace") view=recovery::codigo::EnlacePage/>
                    <Route
                        path=path!("/recuperar/preguntas")
                        view=recovery::preguntas::PreguntasPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/nueva-clave")
                        view=recovery::nueva_clave::NuevaClavePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/recuperar/listo")
                        view=recovery::listo::ListoPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/ingresar") view=account::ingresar::IngresarPage/>
                    <Route
                        path=path!("/servicios")
                        view=account::servicios::ServiciosPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/no-fui-yo")
                        view=account::no_fui_yo::NoFuiYoPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dev/correo")
                        view=dev_mailbox::DevMailboxPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}
