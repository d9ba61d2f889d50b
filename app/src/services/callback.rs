//! Call-back requests (SPEC §2.3): taking them, with per-IP and per-cédula
//! limits and one open request per cédula, and the contact centre's queue.

use super::limit::{allow, Budget};
use super::{keyed_hash, Settings};
use crate::domain::callback::{reference_from, CallbackAction, CallbackStatus, TimeWindow};
use entity::{callback_reference, callback_request};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A validated request, as the form gives it.
#[derive(Clone, Debug)]
pub struct NewCallback<'a> {
    pub cedula: &'a str,
    pub country: &'a str,
    /// E.164.
    pub phone: &'a str,
    pub window: TimeWindow,
}

/// How a request was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Taken {
    /// A new request with this reference.
    Created { reference: String },
    /// The cédula already had an open request: this one was merged into it,
    /// under a reference of its own (the receipt looks like a new request's).
    Merged { reference: String },
    /// The client or the cédula made too many requests.
    TooMany,
}

/// Takes a request: spends the client's and the cédula's budgets, then opens
/// a request or merges it into the cédula's open one. A client that sent no
/// proof of work (no JavaScript) gets half the per-IP budget.
pub async fn submit(
    db: &DatabaseConnection,
    settings: &Settings,
    request: &NewCallback<'_>,
    client_key: &str,
    proved: bool,
    now: i64,
) -> Result<Taken, DbErr> {
    let (key, limit) = if proved {
        ("callback:ip", settings.ip_callbacks_per_hour)
    } else {
        (
            "callback:nojs:ip",
            std::cmp::max(settings.ip_callbacks_per_hour / 2, 1),
        )
    };
    let ip_ok = allow(
        db,
        &format!("{key}:{client_key}"),
        Budget::per_hour(limit),
        now,
    )
    .await?;
    let cedula_key = keyed_hash(settings.secret(), "cedula", request.cedula);
    let cedula_ok = ip_ok
        && allow(
            db,
            &format!("callback:cedula:{cedula_key}"),
            Budget::per_day(settings.cedula_callbacks_per_day),
            now,
        )
        .await?;
    if !cedula_ok {
        return Ok(Taken::TooMany);
    }
    // Another instance may open the cédula's request between our look and our
    // insert: the unique `open_cedula` refuses the second, which then merges.
    for _ in 0..4 {
        let reference = new_reference();
        if let Some(request_id) = merge_into_open(db, request, now).await? {
            let alias = callback_reference::Entity::insert(callback_reference::ActiveModel {
                reference: Set(reference.clone()),
                request_id: Set(request_id),
                created_at: Set(now),
            })
            .exec(db)
            .await;
            match alias {
                Ok(_) => return Ok(Taken::Merged { reference }),
                Err(e) if super::is_unique_violation(&e) => continue,
                Err(e) => return Err(e),
            }
        }
        let inserted = callback_request::Entity::insert(callback_request::ActiveModel {
            id: NotSet,
            reference: Set(reference.clone()),
            cedula: Set(request.cedula.to_owned()),
            open_cedula: Set(Some(request.cedula.to_owned())),
            country: Set(request.country.to_owned()),
            phone: Set(request.phone.to_owned()),
            phone_alt: Set(None),
            time_window: Set(request.window.as_str().to_owned()),
            status: Set(CallbackStatus::Open.as_str().to_owned()),
            claimed_by: Set(None),
            note: Set(None),
            merges: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            closed_at: Set(None),
        })
        .exec(db)
        .await;
        match inserted {
            Ok(_) => return Ok(Taken::Created { reference }),
            Err(e) if super::is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(DbErr::Custom(
        "call-back request: no unique reference".into(),
    ))
}

/// A fresh reference number.
fn new_reference() -> String {
    let mut random = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut random);
    reference_from(random)
}

/// Adds a later request to the cédula's open one: its number (when it
/// differs) becomes the alternative number and its time window the current
/// one. The first number is never replaced, so a stranger who types someone's
/// cédula cannot redirect their call.
async fn merge_into_open(
    db: &DatabaseConnection,
    request: &NewCallback<'_>,
    now: i64,
) -> Result<Option<i32>, DbErr> {
    let Some(open) = callback_request::Entity::find()
        .filter(callback_request::Column::OpenCedula.eq(request.cedula))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    // Still open when updated: a request resolved meanwhile takes no merge.
    let mut update = callback_request::Entity::update_many()
        .col_expr(
            callback_request::Column::TimeWindow,
            Expr::value(request.window.as_str()),
        )
        .col_expr(
            callback_request::Column::Merges,
            Expr::col(callback_request::Column::Merges).add(1),
        )
        .col_expr(callback_request::Column::UpdatedAt, Expr::value(now))
        .filter(callback_request::Column::Id.eq(open.id))
        .filter(callback_request::Column::OpenCedula.eq(request.cedula));
    if open.phone != request.phone {
        update = update.col_expr(
            callback_request::Column::PhoneAlt,
            Expr::value(request.phone),
        );
    }
    let merged = update.exec(db).await?.rows_affected == 1;
    Ok(merged.then_some(open.id))
}

/// The queue, oldest first, filtered by statuses and country.
pub async fn queue(
    db: &DatabaseConnection,
    statuses: &[CallbackStatus],
    country: Option<&str>,
    limit: u64,
) -> Result<Vec<callback_request::Model>, DbErr> {
    let mut q = callback_request::Entity::find()
        .filter(callback_request::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
    if let Some(c) = country {
        q = q.filter(callback_request::Column::Country.eq(c));
    }
    q.order_by_asc(callback_request::Column::CreatedAt)
        .order_by_asc(callback_request::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Why staff could not act on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActRefusal {
    NotFound,
    /// The action does not follow from the request's status (or someone else
    /// moved it first).
    NotNow,
    /// Claimed by another staff user.
    NotYours,
}

/// Claims, marks contacted, resolves (with `note`) or releases request `id`
/// as staff user `by`. Only the one who claimed it may move it on; releasing
/// is for whoever the caller allows (supervisors). Returns the request's
/// cédula (for the audit log).
pub async fn act(
    db: &DatabaseConnection,
    id: i32,
    by: &str,
    action: CallbackAction,
    note: Option<&str>,
    now: i64,
) -> Result<Result<String, ActRefusal>, DbErr> {
    let Some(found) = callback_request::Entity::find_by_id(id).one(db).await? else {
        return Ok(Err(ActRefusal::NotFound));
    };
    let from: CallbackStatus = super::db::stored(&found.status)?;
    let Some(to) = from.after(action) else {
        return Ok(Err(ActRefusal::NotNow));
    };
    let anyone = matches!(action, CallbackAction::Claim | CallbackAction::Release);
    if !anyone && found.claimed_by.as_deref() != Some(by) {
        return Ok(Err(ActRefusal::NotYours));
    }
    let mut update = callback_request::Entity::update_many()
        .col_expr(callback_request::Column::Status, Expr::value(to.as_str()))
        .col_expr(callback_request::Column::UpdatedAt, Expr::value(now))
        .filter(callback_request::Column::Id.eq(id))
        .filter(callback_request::Column::Status.eq(from.as_str()));
    match action {
        CallbackAction::Claim => {
            update = update.col_expr(callback_request::Column::ClaimedBy, Expr::value(by));
        }
        CallbackAction::Release => {
            update = update.col_expr(
                callback_request::Column::ClaimedBy,
                Expr::value(Option::<String>::None),
            );
        }
        CallbackAction::MarkContacted | CallbackAction::Resolve => {}
    }
    if to == CallbackStatus::Resolved {
        update = update
            .col_expr(callback_request::Column::Note, Expr::value(note))
            .col_expr(
                callback_request::Column::OpenCedula,
                Expr::value(Option::<String>::None),
            )
            .col_expr(callback_request::Column::ClosedAt, Expr::value(now));
    }
    // Conditional on the status it had: two agents claiming at once, one wins.
    let moved = update.exec(db).await?.rows_affected == 1;
    Ok(if moved {
        Ok(found.cedula)
    } else {
        Err(ActRefusal::NotNow)
    })
}
