//! Supervisors only, at `/personal/supervision`: call-back requests per
//! status and per day, and staff management (add an account, turn one off or
//! on, reset a colleague's second factor — audited — so their next sign-in
//! enrols a new one). An agent gets 403 here and from every server function of this page.
//!
//! Without JavaScript: plain form posts that come back here.

use super::{StaffFrame, StaffMe, StaffNav};
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::password_input::PasswordInput;
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::StaffSupervision.path();

/// Days the per-day counts cover.
pub const DAYS: i64 = 14;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub active: bool,
    /// The second factor is enrolled.
    pub factor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionView {
    pub me: StaffMe,
    pub by_status: Vec<(String, u64)>,
    pub by_day: Vec<(String, u64)>,
    pub staff: Vec<StaffRow>,
}

#[server(endpoint = "personal/supervision")]
pub async fn supervision_ver() -> Result<SupervisionView, AppError> {
    crate::web::view_result(server::supervision_ver().await)
}

/// Adds a staff account (supervisors only).
#[server(endpoint = "personal/crear")]
pub async fn crear_personal(
    usuario: Option<String>,
    nombre: Option<String>,
    rol: Option<String>,
    clave: Option<String>,
) -> Result<(), AppError> {
    let result = server::crear_personal(
        usuario.unwrap_or_default(),
        nombre.unwrap_or_default(),
        rol.unwrap_or_default(),
        clave.unwrap_or_default(),
    )
    .await;
    crate::web::conclude(
        result,
        <CrearPersonal as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

/// Turns a staff account off (ending its sessions) or on again.
#[server(endpoint = "personal/activar")]
pub async fn activar_personal(
    usuario: Option<String>,
    activo: Option<String>,
) -> Result<(), AppError> {
    let result =
        server::activar_personal(usuario.unwrap_or_default(), activo.as_deref() == Some("si"))
            .await;
    crate::web::conclude(
        result,
        <ActivarPersonal as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

/// Resets a colleague's second factor (ending their sessions); their next
/// sign-in enrols a new one.
#[server(endpoint = "personal/restablecer-factor")]
pub async fn restablecer_factor(usuario: Option<String>) -> Result<(), AppError> {
    let result = server::restablecer_factor(usuario.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <RestablecerFactor as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::password::{normalise, PasswordContext, PasswordPolicy, MAX_CHARS};
    use crate::domain::staff::{parse_username, Role};
    use crate::error::FormErrors;
    use crate::services::db::stored;
    use crate::services::{now_unix, staff, staff_factor};
    use crate::web::{audit_detail, internal, staff_user, state};

    pub async fn supervision_ver() -> Result<SupervisionView, AppError> {
        let me = staff_user(Role::Supervisor).await?;
        let st = state();
        let counts = staff::counts(&st.db, now_unix(), DAYS)
            .await
            .map_err(internal("counts"))?;
        let accounts = staff::accounts(&st.db)
            .await
            .map_err(internal("staff list"))?;
        let enrolled = staff_factor::enrolled(&st.db)
            .await
            .map_err(internal("staff factors"))?;
        Ok(SupervisionView {
            me: StaffMe::from(&me),
            by_status: counts
                .by_status
                .into_iter()
                .map(|(s, n)| (s.label(crate::lang::lang()).to_owned(), n))
                .collect(),
            by_day: counts.by_day,
            staff: accounts
                .into_iter()
                .map(|a| {
                    Ok(StaffRow {
                        factor: enrolled.contains(&a.username),
                        role_label: stored::<Role>(&a.role)?
                            .label(crate::lang::lang())
                            .to_owned(),
                        username: a.username,
                        display_name: a.display_name,
                        active: a.active,
                    })
                })
                .collect::<Result<_, sea_orm::DbErr>>()
                .map_err(internal("staff roles"))?,
        })
    }

    /// The password rules for staff: the affiliates' policy (length, not
    /// common, not their own names).
    pub fn check_password(
        min_chars: usize,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<(), Vec<String>> {
        let ctx = PasswordContext {
            cedula: "",
            birth_date: None,
            names: vec![display_name, username],
        };
        let words: Vec<&str> = display_name
            .split_whitespace()
            .chain([username, "iess", "clave", "personal"])
            .collect();
        PasswordPolicy { min_chars }
            .check(password, &ctx, |c| {
                crate::domain::password::is_common(c, &words)
            })
            .map_err(|problems| {
                let lang = crate::lang::lang();
                problems.iter().map(|p| p.message(lang)).collect()
            })
    }

    pub async fn crear_personal(
        usuario: String,
        nombre: String,
        rol: String,
        clave: String,
    ) -> Result<(), AppError> {
        let _me = staff_user(Role::Supervisor).await?;
        let l = lang();
        let usuario: String = usuario.chars().take(64).collect();
        let nombre: String = nombre.trim().chars().take(121).collect();
        let clave: String = clave.chars().take(MAX_CHARS + 1).collect();
        let mut errors = FormErrors::default()
            .with_value("usuario", &usuario)
            .with_value("nombre", &nombre)
            .with_value("rol", &rol);
        let username = parse_username(&usuario);
        if let Err(m) = &username {
            errors = errors.error("usuario", m.get(l));
        }
        if nombre.chars().count() < 3 || nombre.chars().count() > 120 {
            errors = errors.error(
                "nombre",
                l.pick(
                    "Escriba el nombre completo (de 3 a 120 caracteres).",
                    "Enter the full name (3 to 120 characters).",
                ),
            );
        }
        let role = Role::parse(&rol);
        if role.is_none() {
            errors = errors.error("rol", l.pick("Elija el rol.", "Choose the role."));
        }
        if let Err(problems) = check_password(
            state().settings.clave_min_chars,
            usuario.trim(),
            &nombre,
            &clave,
        ) {
            errors = errors.error("clave", problems.join(" "));
        }
        let (Ok(username), Some(role), true) = (username, role, errors.is_empty()) else {
            return Err(AppError::Form(errors));
        };
        audit_detail(&format!("cuenta {username} ({})", role.as_str()));
        let st = state();
        let created = staff::create_account(
            &st.db,
            &username,
            &nombre,
            &normalise(&clave),
            role,
            now_unix(),
        )
        .await
        .map_err(internal("create staff"))?;
        if !created {
            return Err(AppError::Form(errors.error(
                "usuario",
                l.pick(
                    "Ya existe una cuenta con ese usuario.",
                    "There is already an account with that user name.",
                ),
            )));
        }
        if crate::web::is_plain_form_post() {
            leptos_axum::redirect(&format!("{PAGE}?creada={username}"));
        }
        Ok(())
    }

    pub async fn activar_personal(usuario: String, active: bool) -> Result<(), AppError> {
        let me = staff_user(Role::Supervisor).await?;
        let username = parse_username(&usuario).map_err(|_| AppError::NotFound)?;
        if username == me.username && !active {
            return Err(AppError::Form(FormErrors::default().error(
                &format!("cuenta-{username}"),
                lang().pick(
                    "No puede desactivar su propia cuenta.",
                    "You cannot turn off your own account.",
                ),
            )));
        }
        audit_detail(&format!(
            "{} la cuenta {username}",
            if active { "activó" } else { "desactivó" }
        ));
        let st = state();
        if !staff::set_active(&st.db, &username, active)
            .await
            .map_err(internal("set active"))?
        {
            return Err(AppError::NotFound);
        }
        if crate::web::is_plain_form_post() {
            leptos_axum::redirect(PAGE);
        }
        Ok(())
    }

    pub async fn restablecer_factor(usuario: String) -> Result<(), AppError> {
        let me = staff_user(Role::Supervisor).await?;
        let username = parse_username(&usuario).map_err(|_| AppError::NotFound)?;
        if username == me.username {
            return Err(AppError::Form(FormErrors::default().error(
                &format!("cuenta-{username}"),
                lang().pick(
                    "No puede restablecer su propio segundo factor: pídaselo a otro supervisor.",
                    "You cannot reset your own second factor: ask another supervisor.",
                ),
            )));
        }
        audit_detail(&format!("restableció el segundo factor de {username}"));
        let st = state();
        if !staff_factor::reset(&st.db, &username)
            .await
            .map_err(internal("reset factor"))?
        {
            return Err(AppError::NotFound);
        }
        if crate::web::is_plain_form_post() {
            leptos_axum::redirect(PAGE);
        }
        Ok(())
    }
}

#[cfg(feature = "ssr")]
pub use server::check_password;

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let create = ServerAction::<CrearPersonal>::new();
    let toggle = ServerAction::<ActivarPersonal>::new();
    let reset = ServerAction::<RestablecerFactor>::new();
    let data = Resource::new_blocking(
        move || {
            (
                create.version().get(),
                toggle.version().get(),
                reset.version().get(),
            )
        },
        |_| supervision_ver(),
    );
    view! {
        <StaffFrame data=data render=move |v: SupervisionView| view! { <Supervision view=v create=create toggle=toggle reset=reset/> }/>
    }
}

#[component]
fn Supervision(
    view: SupervisionView,
    create: ServerAction<CrearPersonal>,
    toggle: ServerAction<ActivarPersonal>,
    reset: ServerAction<RestablecerFactor>,
) -> impl IntoView {
    let form = FormState::of(create);
    let toggle_form = FormState::of(toggle);
    let reset_form = FormState::of(reset);
    let errors = Signal::derive(move || {
        let mut all = form.errors().get();
        all.extend(toggle_form.errors().get());
        all.extend(reset_form.errors().get());
        all
    });
    let general = Signal::derive(move || {
        form.general()
            .get()
            .or_else(|| toggle_form.general().get())
            .or_else(|| reset_form.general().get())
    });
    let has_error = Signal::derive(move || {
        form.has_error().get() || toggle_form.has_error().get() || reset_form.has_error().get()
    });
    let SupervisionView {
        me,
        by_status,
        by_day,
        staff,
    } = view;
    let my_name = me.username.clone();
    let l = lang();
    let roles = vec![
        ("agent".to_owned(), l.pick("Agente", "Agent").to_owned()),
        (
            "supervisor".to_owned(),
            l.pick("Supervisor/a", "Supervisor").to_owned(),
        ),
    ];
    view! {
        <PageTitle text=Step::StaffSupervision.title(l) error=has_error/>
        <StaffNav me=me/>
        <ErrorSummary errors=errors general=general/>
        <h1 tabindex="-1">{l.pick("Supervisión", "Supervision")}</h1>
        <h2>{l.pick("Solicitudes de llamada por estado", "Call-back requests by status")}</h2>
        <table class="table">
            <caption class="visually-hidden">
                {l.pick("Solicitudes por estado, ahora", "Requests by status, now")}
            </caption>
            <thead>
                <tr>
                    <th scope="col">{l.pick("Estado", "Status")}</th>
                    <th scope="col">{l.pick("Solicitudes", "Requests")}</th>
                </tr>
            </thead>
            <tbody>
                {by_status.into_iter().map(|(label, n)| view! {
                    <tr><th scope="row">{label}</th><td>{n}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>
            {l.pick(
                format!("Solicitudes recibidas por día (últimos {DAYS} días)"),
                format!("Requests received per day (last {DAYS} days)"),
            )}
        </h2>
        {if by_day.is_empty() {
            view! {
                <p>
                    {l.pick(
                        "No se recibieron solicitudes en esos días.",
                        "No requests were received on those days.",
                    )}
                </p>
            }
                .into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">
                        {l.pick(
                            "Solicitudes recibidas por día, fecha de Ecuador",
                            "Requests received per day, by Ecuador date",
                        )}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{l.pick("Día", "Day")}</th>
                            <th scope="col">{l.pick("Solicitudes", "Requests")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {by_day.into_iter().map(|(day, n)| view! {
                            <tr><th scope="row">{day}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{l.pick("Personal", "Staff")}</h2>
        // Six columns do not fit a phone with large text: the table scrolls
        // by itself (WCAG 1.4.10 allows it for data tables), not the page.
        <div
            class="table-scroll"
            role="region"
            aria-label=l.pick("Cuentas del personal", "Staff accounts")
            tabindex="0"
        >
        <table class="table">
            <caption class="visually-hidden">{l.pick("Cuentas del personal", "Staff accounts")}</caption>
            <thead>
                <tr>
                    <th scope="col">{l.pick("Usuario", "User name")}</th>
                    <th scope="col">{l.pick("Nombre", "Name")}</th>
                    <th scope="col">{l.pick("Rol", "Role")}</th>
                    <th scope="col">{l.pick("Estado", "Status")}</th>
                    <th scope="col">{l.pick("Segundo factor", "Second factor")}</th>
                    <th scope="col">{l.pick("Acción", "Action")}</th>
                </tr>
            </thead>
            <tbody>
                {staff.into_iter().map(|s| {
                    let me_row = s.username == my_name;
                    let (label, value) = if s.active {
                        (l.pick("Desactivar", "Turn off"), "no")
                    } else {
                        (l.pick("Activar", "Turn on"), "si")
                    };
                    view! {
                        <tr>
                            <th scope="row" id=format!("cuenta-{}", s.username) tabindex="-1">{s.username.clone()}</th>
                            <td>{s.display_name}</td>
                            <td>{s.role_label}</td>
                            <td>
                                {if s.active {
                                    l.pick("Activa", "Active")
                                } else {
                                    l.pick("Desactivada", "Turned off")
                                }}
                            </td>
                            <td>
                                {if s.factor {
                                    l.pick("Configurado", "Set up")
                                } else {
                                    l.pick("Sin configurar", "Not set up")
                                }}
                            </td>
                            <td class="staff-actions">
                                {(!me_row && s.factor).then(|| {
                                    let who = s.username.clone();
                                    view! {
                                    <ActionForm action=reset>
                                        <input type="hidden" name="usuario" value=who.clone()/>
                                        <button type="submit" class="button button-secondary">
                                            {l.pick("Restablecer segundo factor", "Reset second factor")}
                                            " "
                                            <span class="visually-hidden">{who}</span>
                                        </button>
                                    </ActionForm>
                                }})}
                                {(!me_row).then(|| view! {
                                    <ActionForm action=toggle>
                                        <input type="hidden" name="usuario" value=s.username.clone()/>
                                        <input type="hidden" name="activo" value=value/>
                                        <button type="submit" class="button button-secondary">
                                            {label} " " <span class="visually-hidden">{s.username.clone()}</span>
                                        </button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <h2>{l.pick("Añadir una cuenta", "Add an account")}</h2>
        <ActionForm action=create attr:novalidate="" attr:class="form">
            <TextField
                id="usuario"
                label=l.pick("Usuario", "User name")
                hint=l.pick(
                    "Letras sin tildes, números, puntos o guiones; por ejemplo ana.perez.",
                    "Letters without accents, numbers, dots or hyphens; for example ana.perez.",
                )
                error=form.field_error("usuario")
                value=form.value("usuario")
                autocomplete="off"
                class="input-width-10"
            />
            <TextField
                id="nombre"
                label=l.pick("Nombre completo", "Full name")
                error=form.field_error("nombre")
                value=form.value("nombre")
                autocomplete="off"
            />
            <SelectField
                id="rol"
                label=l.pick("Rol", "Role")
                options=roles
                placeholder=l.pick("Elija el rol", "Choose the role")
                error=form.field_error("rol")
                value=form.value("rol")
            />
            <PasswordInput
                id="clave"
                label=l.pick("Clave inicial", "Initial password")
                error=form.field_error("clave")
                autocomplete="new-password"
            />
            <button type="submit" class="button">{l.pick("Añadir cuenta", "Add account")}</button>
        </ActionForm>
    }
}
