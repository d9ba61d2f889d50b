//! Enumerated columns, on SQLite and on PostgreSQL: the schema takes every
//! value the code's enum has and refuses anything else (migration 9's CHECK
//! constraints), and a value that got in anyway is refused loudly by the
//! code, never read as a default.

use app::domain::callback::{CallbackStatus, TimeWindow};
use app::domain::flow::{FlowKind, FlowState};
use app::domain::staff::{Role, SessionStage};
use app::domain::stored::{
    AffiliateStatus, CaseKind, CaseStatus, Delivery, MailKind, NoticeKind, Stored,
};
use app::lang::Lang;
use app::services::{flow, mail, test_support};
use chrono::NaiveDate;
use entity::{
    affiliate, callback_request, mail_outbox, notice, recovery_flow, staff_account, staff_case,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
};
use std::sync::atomic::{AtomicU32, Ordering};

const NOW: i64 = 1_800_000_000;
const CEDULA: &str = "1712345675";

static SERIAL: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", SERIAL.fetch_add(1, Ordering::Relaxed))
}

/// One row of `column`'s table holding `value` there (the row's other
/// enumerated column takes a valid value).
async fn insert(db: &DatabaseConnection, column: &str, value: &str) -> Result<(), DbErr> {
    let v = || Set(value.to_owned());
    let or = |name: &str, other: &str| {
        if column == name {
            v()
        } else {
            Set(other.to_owned())
        }
    };
    match column.split_once('.').expect("table.column").0 {
        "recovery_flow" => {
            recovery_flow::Entity::insert(recovery_flow::ActiveModel {
                id: Set(unique("flow")),
                kind: or("recovery_flow.kind", "recovery"),
                cedula: Set(CEDULA.into()),
                state: or("recovery_flow.state", "identity_pending"),
                identity_failures: Set(0),
                created_at: Set(NOW),
                updated_at: Set(NOW),
                expires_at: Set(NOW + 900),
                new_email: Set(None),
                new_phone: Set(None),
            })
            .exec(db)
            .await?;
        }
        "callback_request" => {
            callback_request::Entity::insert(callback_request::ActiveModel {
                id: NotSet,
                reference: Set(unique("CB-")),
                cedula: Set(CEDULA.into()),
                open_cedula: Set(None),
                country: Set("EC".into()),
                phone: Set("+593991234567".into()),
                phone_alt: Set(None),
                time_window: or("callback_request.time_window", "any"),
                status: or("callback_request.status", "open"),
                claimed_by: Set(None),
                note: Set(None),
                merges: Set(0),
                created_at: Set(NOW),
                updated_at: Set(NOW),
                closed_at: Set(None),
            })
            .exec(db)
            .await?;
        }
        "staff_account" => {
            staff_account::Entity::insert(staff_account::ActiveModel {
                username: Set(unique("agent")),
                display_name: Set("Agente".into()),
                password_hash: Set("x".into()),
                role: v(),
                active: Set(true),
                created_at: Set(NOW),
            })
            .exec(db)
            .await?;
        }
        "staff_case" => {
            staff_case::Entity::insert(staff_case::ActiveModel {
                id: NotSet,
                cedula: Set(CEDULA.into()),
                kind: or("staff_case.kind", "not_me:clave_changed"),
                detail: Set("d".into()),
                status: or("staff_case.status", "open"),
                created_at: Set(NOW),
                claimed_by: Set(None),
                note: Set(None),
                closed_at: Set(None),
            })
            .exec(db)
            .await?;
        }
        "affiliate" => {
            affiliate::Entity::insert(affiliate::ActiveModel {
                cedula: Set(unique("99")),
                given_names: Set("Rosa".into()),
                surnames: Set("Pérez".into()),
                birth_date: Set(NaiveDate::from_ymd_opt(1950, 1, 2).unwrap()),
                codigo_dactilar: Set("V1234V1234".into()),
                email: Set("rosa@example.org".into()),
                phone: Set(None),
                country: Set("EC".into()),
                status: v(),
                created_at: Set(NOW),
            })
            .exec(db)
            .await?;
        }
        "notice" => {
            notice::Entity::insert(notice::ActiveModel {
                id: Set(unique("notice")),
                cedula: Set(CEDULA.into()),
                kind: v(),
                old_email: Set(None),
                created_at: Set(NOW),
                expires_at: Set(NOW + 86_400),
                used_at: Set(None),
            })
            .exec(db)
            .await?;
        }
        "mail_outbox" => {
            mail_outbox::Entity::insert(mail_outbox::ActiveModel {
                id: NotSet,
                kind: or("mail_outbox.kind", "code"),
                to_address: Set("rosa@example.org".into()),
                subject: Set("s".into()),
                body_text: Set("t".into()),
                body_html: Set("h".into()),
                created_at: Set(NOW),
                attempts: Set(0),
                next_attempt_at: Set(NOW),
                locked_until: Set(None),
                sent_at: Set(None),
                delivered_via: if column == "mail_outbox.delivered_via" {
                    Set(Some(value.to_owned()))
                } else {
                    Set(None)
                },
                last_error: Set(None),
                // The schema's default: this row is also written at migration
                // 8, before the outbox had a language.
                lang: NotSet,
            })
            .exec(db)
            .await?;
        }
        other => panic!("no row for table {other}"),
    }
    Ok(())
}

/// Each enumerated column with the texts its enum stores.
fn columns() -> Vec<(&'static str, Vec<&'static str>)> {
    fn of<T: Stored>() -> (&'static str, Vec<&'static str>) {
        (T::COLUMN, T::VALUES.iter().map(|v| v.stored()).collect())
    }
    vec![
        of::<FlowKind>(),
        of::<FlowState>(),
        of::<CallbackStatus>(),
        of::<TimeWindow>(),
        of::<Role>(),
        of::<CaseKind>(),
        of::<CaseStatus>(),
        of::<AffiliateStatus>(),
        of::<NoticeKind>(),
        of::<MailKind>(),
        of::<Delivery>(),
    ]
}

#[tokio::test]
async fn every_enumerated_column_takes_its_enums_values_and_refuses_any_other() {
    for (name, db) in test_support::each_backend().await {
        for (column, values) in columns() {
            for value in &values {
                insert(&db, column, value)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {column} refused {value:?}: {e}"));
            }
            // Near misses: another column's value, a different case, a space.
            let upper = values[0].to_uppercase();
            let spaced = format!("{} ", values[0]);
            for bogus in ["unknown", "", upper.as_str(), spaced.as_str(), "pending"] {
                let refused = insert(&db, column, bogus).await;
                assert!(
                    refused.is_err(),
                    "{name}: {column} took {bogus:?}, none of its values"
                );
            }
        }
    }
}

/// The staff session's stage had its constraint from migration 8.
#[tokio::test]
async fn the_staff_session_stage_is_checked_too() {
    for (name, db) in test_support::each_backend().await {
        for (stage, ok) in [
            (SessionStage::Password.stored(), true),
            (SessionStage::Complete.stored(), true),
            ("done", false),
        ] {
            let sql = format!(
                "INSERT INTO staff_session (id, username, stage, created_at, idle_expires_at, \
                 absolute_expires_at) VALUES ('{}', 'nadie', '{stage}', 0, 1, 1)",
                unique("s")
            );
            let result = db.execute_unprepared(&sql).await;
            assert_eq!(result.is_ok(), ok, "{name}: stage {stage:?}: {result:?}");
        }
    }
}

/// Puts `state` into a stored flow past the schema's check, as a damaged
/// database or a newer version's row would have it.
async fn force_flow_state(db: &DatabaseConnection, state: &str) -> String {
    let (token, started) = flow::start(
        db,
        FlowKind::Recovery,
        &app::domain::cedula::Cedula::parse(CEDULA).unwrap(),
        900,
        NOW,
    )
    .await
    .unwrap();
    let update = format!(
        "UPDATE recovery_flow SET state = '{state}' WHERE id = '{}'",
        started.id
    );
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // One connection: the pragma and the update on the same one.
            use sea_orm::TransactionTrait;
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("PRAGMA ignore_check_constraints = ON")
                .await
                .unwrap();
            txn.execute_unprepared(&update).await.unwrap();
            txn.execute_unprepared("PRAGMA ignore_check_constraints = OFF")
                .await
                .unwrap();
            txn.commit().await.unwrap();
        }
        _ => {
            db.execute_unprepared(
                "ALTER TABLE recovery_flow DROP CONSTRAINT recovery_flow_state_check",
            )
            .await
            .unwrap();
            db.execute_unprepared(&update).await.unwrap();
        }
    }
    token.0
}

#[tokio::test]
async fn a_flow_with_an_unknown_stored_state_is_an_error_not_a_default() {
    for (name, db) in test_support::each_backend().await {
        let token = force_flow_state(&db, "paused").await;
        match flow::find_live(&db, &token, NOW + 1).await {
            Err(DbErr::Type(message)) => assert_eq!(
                message, "recovery_flow.state holds \"paused\", none of its values",
                "{name}"
            ),
            other => panic!("{name}: an unknown state was read as {other:?}"),
        }
    }
}

/// An outbox row written in `lang` (its code as stored); its id.
async fn insert_mail_in(db: &DatabaseConnection, lang: &str) -> Result<i32, DbErr> {
    let inserted = mail_outbox::Entity::insert(mail_outbox::ActiveModel {
        id: NotSet,
        kind: Set(MailKind::Code.stored().into()),
        to_address: Set(format!("{}@example.org", unique("idioma"))),
        subject: Set("s".into()),
        body_text: Set("t".into()),
        body_html: Set("h".into()),
        created_at: Set(NOW),
        attempts: Set(0),
        next_attempt_at: Set(NOW),
        locked_until: Set(None),
        sent_at: Set(None),
        delivered_via: Set(None),
        last_error: Set(None),
        lang: Set(lang.to_owned()),
    })
    .exec(db)
    .await?;
    Ok(inserted.last_insert_id)
}

/// Puts `lang` into a queued mail past the schema's check, as a damaged
/// database or a newer version's row would have it; the mail's id.
async fn force_mail_lang(db: &DatabaseConnection, lang: &str) -> i32 {
    let id = insert_mail_in(db, Lang::Es.code()).await.unwrap();
    let update = format!("UPDATE mail_outbox SET lang = '{lang}' WHERE id = {id}");
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // One connection: the pragma and the update on the same one.
            use sea_orm::TransactionTrait;
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("PRAGMA ignore_check_constraints = ON")
                .await
                .unwrap();
            txn.execute_unprepared(&update).await.unwrap();
            txn.execute_unprepared("PRAGMA ignore_check_constraints = OFF")
                .await
                .unwrap();
            txn.commit().await.unwrap();
        }
        _ => {
            db.execute_unprepared("ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_lang_check")
                .await
                .unwrap();
            db.execute_unprepared(&update).await.unwrap();
        }
    }
    id
}

/// The outbox's language (migration 10): the schema takes the codes of
/// `Lang` and refuses anything else; a row that holds another anyway is an
/// error when read, never a Spanish mail, and the worker leaves it unsent
/// (its error kept) while it delivers the others.
#[tokio::test]
async fn a_mail_language_outside_es_and_en_is_refused_not_defaulted() {
    for (name, db) in test_support::each_backend().await {
        for lang in Lang::ALL {
            insert_mail_in(&db, lang.code())
                .await
                .unwrap_or_else(|e| panic!("{name}: {:?} refused: {e}", lang.code()));
        }
        for bogus in ["fr", "", "ES", "en ", "es-EC"] {
            assert!(
                insert_mail_in(&db, bogus).await.is_err(),
                "{name}: mail_outbox.lang took {bogus:?}"
            );
        }
        let id = force_mail_lang(&db, "fr").await;
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        match mail::lang_of(&row) {
            Err(DbErr::Type(message)) => assert_eq!(
                message, "mail_outbox.lang holds \"fr\", none of its values",
                "{name}"
            ),
            other => panic!("{name}: an unknown language was read as {other:?}"),
        }
        assert_eq!(
            mail::deliver_due(&db, &mail::Transport::DevMailbox, NOW)
                .await
                .unwrap(),
            Lang::ALL.len(),
            "{name}: the others are delivered"
        );
        let row = mail_outbox::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert!(row.sent_at.is_none(), "{name}: not sent");
        assert_eq!(row.attempts, 1, "{name}");
        let error = row.last_error.unwrap_or_default();
        assert!(
            error.contains("mail_outbox.lang holds \"fr\""),
            "{name}: {error}"
        );
    }
}

/// An SQLite database at migration 8 with rows in it.
async fn sqlite_at_migration_8() -> DatabaseConnection {
    use migration::MigratorTrait;
    let path = std::env::temp_dir().join(format!(
        "clave-upgrade-{}-{}.sqlite3",
        std::process::id(),
        unique("db")
    ));
    let db = app::services::db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    migration::Migrator::up(&db, Some(8)).await.unwrap();
    db
}

/// The SQLite path rewrites table definitions: an existing database keeps its
/// rows and gains the checks; one holding an unknown value is not migrated,
/// and says which column.
#[tokio::test]
async fn an_sqlite_database_with_rows_upgrades_and_an_unknown_value_stops_it() {
    use migration::MigratorTrait;
    let db = sqlite_at_migration_8().await;
    for (column, values) in columns() {
        insert(&db, column, values[0]).await.unwrap();
    }
    migration::Migrator::up(&db, None).await.unwrap();
    for (column, values) in columns() {
        insert(&db, column, values[values.len() - 1]).await.unwrap();
        assert!(insert(&db, column, "unknown").await.is_err(), "{column}");
    }
    let flows = recovery_flow::Entity::find().all(&db).await.unwrap();
    // One row per column of the table before the upgrade and one after.
    assert_eq!(flows.len(), 2 + 2, "every row kept");

    let damaged = sqlite_at_migration_8().await;
    insert(&damaged, "callback_request.time_window", "midday")
        .await
        .unwrap();
    let refused = migration::Migrator::up(&damaged, None).await.unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Migration Error: callback_request.time_window holds \"midday\", which is none of its values"
    );
    assert_eq!(
        migration::Migrator::get_pending_migrations(&damaged)
            .await
            .unwrap()
            .len(),
        2,
        "migration 9 is still to do, and 10 after it"
    );
}
