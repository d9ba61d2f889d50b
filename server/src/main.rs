//! `clave`: the one server binary (serve, migrate, seed-demo, questions,
//! create-staff, reset-staff-factor, cleanup).

use app::services::{db, demo, hashing, mail, now_unix, questions, AppState, Mode, Settings};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "clave",
    about = "Solicitud y recuperación de la clave de servicios en línea"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the synthetic demo registry (skipped for people already present).
    SeedDemo,
    /// Delete what is past the retention settings now (the server also does
    /// it every hour).
    Cleanup,
    /// Create a staff account for the console at /personal (or reset its
    /// password, name and role). The password is read from the first line of
    /// standard input, so it never appears in the process list or history.
    CreateStaff {
        /// User name: 3–32 letters without accents, digits, dots, hyphens.
        #[arg(long)]
        username: String,
        /// Full name shown in the console.
        #[arg(long)]
        name: String,
        /// `agent` or `supervisor`.
        #[arg(long, default_value = "agent")]
        role: String,
    },
    /// Remove a staff account's second factor (a lost phone and lost
    /// recovery codes, with no other supervisor to reset it): its sessions
    /// end, and the next sign-in enrols a new one.
    ResetStaffFactor {
        #[arg(long)]
        username: String,
    },
    /// Show or change the security-question catalogue.
    Questions {
        #[command(subcommand)]
        action: QuestionsAction,
    },
    /// Print every page (the page table) as JSON, the 404 page included: the
    /// end-to-end tests take their paths, titles and captions from it.
    Steps,
    /// Measure argon2id hashes per second on this machine (one thread per core),
    /// to size a deployment; `bench/` compares it with whole recoveries.
    Argon2Rate {
        /// How long to measure.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
}

#[derive(Subcommand)]
enum QuestionsAction {
    /// List every question with its id and whether it is offered.
    List,
    /// Add a question, in Spanish and in English.
    Add {
        #[arg(long)]
        es: String,
        #[arg(long)]
        en: String,
    },
    /// Stop offering a question (affiliates who chose it keep it).
    Disable { id: i32 },
    /// Offer a question again.
    Enable { id: i32 },
}

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("Invalid configuration:");
            for e in errors {
                eprintln!("  - {e}");
            }
            return ExitCode::from(2);
        }
    };
    match run(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    let open = || async {
        db::open(&settings.database_url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))
    };
    match command {
        Command::Migrate => {
            open().await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::SeedDemo => {
            demo::seed(&open().await?, now_unix()).await?;
            print_demo();
            Ok(())
        }
        Command::Cleanup => {
            let swept =
                app::services::retention::sweep(&open().await?, settings.retention(), now_unix())
                    .await?;
            println!("Deleted {} rows past retention: {swept:?}", swept.total());
            Ok(())
        }
        Command::Questions { action } => {
            let conn = open().await?;
            let outcome = match action {
                QuestionsAction::List => {
                    for q in questions::list_all(&conn).await? {
                        let state = if q.active { "offered" } else { "retired" };
                        println!("{:>4}  {state:<8} {}  |  {}", q.id, q.text_es, q.text_en);
                    }
                    Ok(())
                }
                QuestionsAction::Add { es, en } => questions::add(&conn, &es, &en)
                    .await?
                    .map(|id| println!("Added question {id}.")),
                QuestionsAction::Disable { id } => questions::set_active(&conn, id, false)
                    .await?
                    .map(|()| println!("Question {id} is no longer offered.")),
                QuestionsAction::Enable { id } => questions::set_active(&conn, id, true)
                    .await?
                    .map(|()| println!("Question {id} is offered again.")),
            };
            outcome.map_err(Into::into)
        }
        Command::CreateStaff {
            username,
            name,
            role,
        } => create_staff(&open().await?, &settings, &username, &name, &role).await,
        Command::ResetStaffFactor { username } => {
            reset_staff_factor(&open().await?, &username).await
        }
        Command::Steps => {
            use app::domain::lang::Lang;
            let mut pages: serde_json::Map<String, serde_json::Value> = app::domain::steps::PAGES
                .iter()
                .map(|p| {
                    let page = serde_json::json!({
                        "path": p.path,
                        "title": p.title.es,
                        "title_en": p.title.en,
                        "caption": p.step.caption(Lang::Es),
                        "caption_en": p.step.caption(Lang::En),
                        "back": p.step.back_path(),
                        "needs": format!("{:?}", p.needs),
                        "form": p.form,
                    });
                    (format!("{:?}", p.step), page)
                })
                .collect();
            // Any path outside the table answers this page.
            let not_found = serde_json::json!({
                "path": null,
                "title": app::domain::steps::NOT_FOUND_TITLE.es,
                "title_en": app::domain::steps::NOT_FOUND_TITLE.en,
                "caption": null,
                "caption_en": null,
                "back": null,
                "needs": "Nothing",
                "form": false,
            });
            pages.insert("NotFound".into(), not_found);
            println!("{}", serde_json::to_string_pretty(&pages)?);
            Ok(())
        }
        Command::Argon2Rate { seconds } => {
            let rate = hashing::rate(std::time::Duration::from_secs(seconds)).await;
            println!("argon2id_hashes_per_second {rate:.2}");
            Ok(())
        }
        Command::Serve => {
            let conn = open().await?;
            serve(conn, settings).await
        }
    }
}

async fn serve(
    conn: sea_orm::DatabaseConnection,
    settings: Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    if settings.mode == Mode::Development && demo::is_empty(&conn).await? {
        demo::seed(&conn, now_unix()).await?;
    }
    let mut leptos_options = get_configuration(None)?.leptos_options;
    leptos_options.site_addr = settings.site_addr;
    // A release build by cargo-leptos names the assets by their hash and
    // leaves the hashes next to the binary: it was built so, whoever runs it.
    if option_env!("LEPTOS_HASH_FILES") == Some("true") {
        leptos_options.hash_files = true;
    }
    let addr = settings.site_addr;
    let dev = settings.mode == Mode::Development;
    let public_url = settings.public_url.clone();
    let dev_mailbox = settings.dev_mailbox();
    let transport = mail::Transport::from_settings(&settings)?;
    let (stop_worker, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(server::mail_worker::run(
        conn.clone(),
        transport,
        stop_rx.clone(),
    ));
    let cleanup = tokio::spawn(server::cleanup::run(
        conn.clone(),
        settings.retention(),
        stop_rx.clone(),
    ));
    let state = AppState {
        db: conn,
        settings: Arc::new(settings),
    };
    let metrics = match state.settings.metrics_addr {
        Some(metrics_addr) => {
            let handle = server::metrics::recorder();
            // Histogram samples wait in the recorder until upkeep folds them in.
            let upkeep = handle.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
                loop {
                    tick.tick().await;
                    upkeep.run_upkeep();
                }
            });
            let listener = tokio::net::TcpListener::bind(metrics_addr).await?;
            println!("Metrics for Prometheus: http://{metrics_addr}/metrics");
            let app = server::metrics::app(state.clone(), handle);
            let mut stop = stop_rx.clone();
            Some(tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stop.changed().await;
                    })
                    .await
            }))
        }
        None => None,
    };
    let router = server::app(state, leptos_options);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("Clave is listening on {public_url}/");
    if dev {
        print_demo();
    }
    if dev_mailbox {
        println!("Development mailbox (mail is not sent): {public_url}/dev/correo");
    }
    // Told to stop, the server takes no new connection and lets the requests
    // in flight finish, within a bound: a client that never finishes its
    // request does not keep the process (an orchestrator kills it after 10 s
    // or so; exiting first keeps the workers' own ending orderly).
    let (signalled, mut signal_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = signalled.send(true);
    });
    let drained = tokio::select! {
        served = server => { served?; true }
        _ = async {
            let _ = signal_rx.wait_for(|s| *s).await;
            tokio::time::sleep(DRAIN_LIMIT).await;
        } => false,
    };
    if !drained {
        tracing::warn!("requests still open after {DRAIN_LIMIT:?}; stopping without them");
    }
    // The mail worker finishes the mail it is sending and claims no other.
    let _ = stop_worker.send(true);
    let workers = async {
        let _ = worker.await;
        let _ = cleanup.await;
        if let Some(metrics) = metrics {
            let _ = metrics.await;
        }
    };
    if tokio::time::timeout(WORKERS_LIMIT, workers).await.is_err() {
        tracing::warn!("the mail worker did not finish within {WORKERS_LIMIT:?}; its claimed mail is retried after the lease");
    }
    Ok(())
}

/// How long requests in flight may take to finish after SIGTERM, and then the
/// workers: together under 10 s.
const DRAIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(6);
const WORKERS_LIMIT: std::time::Duration = std::time::Duration::from_secs(3);

async fn create_staff(
    conn: &sea_orm::DatabaseConnection,
    settings: &Settings,
    username: &str,
    name: &str,
    role: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use app::domain::password::normalise;
    use app::domain::staff::{parse_username, Role};
    use std::io::{BufRead, IsTerminal};
    let username = parse_username(username).map_err(|m| m.es)?;
    let role = Role::parse(role).ok_or("--role must be agent or supervisor")?;
    let name = name.trim();
    if !(3..=120).contains(&name.chars().count()) {
        return Err("--name must have 3 to 120 characters".into());
    }
    if std::io::stdin().is_terminal() {
        eprint!("Clave para {username} (se verá al escribirla): ");
    }
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    app::staff::supervision::check_password(settings.clave_min_chars, &username, name, password)
        .map_err(|problems| problems.join(" "))?;
    let now = now_unix();
    let created = app::services::staff::upsert_account(
        conn,
        &username,
        name,
        &normalise(password),
        role,
        now,
    )
    .await?;
    app::services::audit::write(
        conn,
        app::services::audit::Event {
            actor: "cli",
            action: "create-staff",
            outcome: "ok",
            detail: Some(&format!("cuenta {username} ({})", role.as_str())),
            ..Default::default()
        },
        now,
    )
    .await?;
    println!(
        "{} staff account {username} ({}). Sign in at {}/personal/ingresar",
        if created { "Created" } else { "Updated" },
        role.as_str(),
        settings.public_url
    );
    Ok(())
}

async fn reset_staff_factor(
    conn: &sea_orm::DatabaseConnection,
    username: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let username = app::domain::staff::parse_username(username).map_err(|m| m.es)?;
    if !app::services::staff_factor::reset(conn, &username).await? {
        return Err(format!("{username} has no second factor to reset").into());
    }
    app::services::audit::write(
        conn,
        app::services::audit::Event {
            actor: "cli",
            action: "reset-staff-factor",
            outcome: "ok",
            detail: Some(&format!("restableció el segundo factor de {username}")),
            ..Default::default()
        },
        now_unix(),
    )
    .await?;
    println!("The second factor of {username} was removed; the next sign-in sets up a new one.");
    Ok(())
}

fn print_demo() {
    println!("Demo affiliates (clave: «{}»):", demo::DEMO_CLAVE);
    for p in demo::DEMO_AFFILIATES.iter() {
        println!(
            "  {}  {} {}  born {:02}/{:02}/{:04}  dactilar {}  — {}",
            p.cedula,
            p.given_names,
            p.surnames,
            p.birth_date.2,
            p.birth_date.1,
            p.birth_date.0,
            p.codigo_dactilar,
            p.note
        );
    }
    println!(
        "Staff console: /personal — create an account with \
         `./scripts/clave.sh create-staff --username NAME --name \"Full Name\" --role supervisor` \
         (it reads the password from standard input)."
    );
}

fn init_tracing() {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if std::env::var("CLAVE_LOG_FORMAT").as_deref() == Ok("json") {
        fmt().json().with_env_filter(filter).init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
