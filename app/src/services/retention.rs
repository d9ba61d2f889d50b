//! Retention (SPEC §4.5, LOPDP): deletes what is past its time, so personal
//! data is kept no longer than stated. Run by the cleanup job of every instance
//! (the deletes are idempotent, so instances running it at once do no harm)
//! and by `clave cleanup`.

use entity::{
    audit_event, callback_request, captcha_use, flow_answer, form_echo, limit_event, mail_outbox,
    notice, recovery_flow, session, staff_session, verification_code,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// How long rows stay after they stop being useful.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// Flows, codes, held answers, "no fui yo" notices and sent mail: days after
    /// they expired (or were sent).
    pub flow_days: i64,
    /// Audit events: days after they happened.
    pub audit_days: i64,
    /// Call-back requests: days after they were resolved, or after their last
    /// change when never resolved.
    pub callback_days: i64,
}

/// How many rows each sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub flows: u64,
    pub codes: u64,
    pub held_answers: u64,
    pub notices: u64,
    pub mail: u64,
    pub sessions: u64,
    pub captchas: u64,
    pub form_echoes: u64,
    pub counters: u64,
    pub audit: u64,
    pub callbacks: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.flows
            + self.codes
            + self.held_answers
            + self.notices
            + self.mail
            + self.sessions
            + self.captchas
            + self.form_echoes
            + self.counters
            + self.audit
            + self.callbacks
    }
}

const DAY: i64 = 86_400;

/// Deletes everything past `retention` at `now`.
pub async fn sweep(
    db: &DatabaseConnection,
    retention: Retention,
    now: i64,
) -> Result<Swept, DbErr> {
    let flow_cutoff = now - retention.flow_days * DAY;
    let flows = recovery_flow::Entity::delete_many()
        .filter(recovery_flow::Column::ExpiresAt.lt(flow_cutoff))
        .exec(db)
        .await?
        .rows_affected;
    let codes = verification_code::Entity::delete_many()
        .filter(verification_code::Column::ExpiresAt.lt(flow_cutoff))
        .exec(db)
        .await?
        .rows_affected;
    // Answers held by a flow that no longer exists can never be used.
    let held_answers = flow_answer::Entity::delete_many()
        .filter(
            flow_answer::Column::FlowId.not_in_subquery(
                Query::select()
                    .column(recovery_flow::Column::Id)
                    .from(recovery_flow::Entity)
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?
        .rows_affected;
    let notices = notice::Entity::delete_many()
        .filter(notice::Column::ExpiresAt.lt(flow_cutoff))
        .exec(db)
        .await?
        .rows_affected;
    let mail = mail_outbox::Entity::delete_many()
        .filter(mail_outbox::Column::SentAt.lt(flow_cutoff))
        .exec(db)
        .await?
        .rows_affected;
    // Dead sessions (affiliates' and staff's) and used captchas are worth
    // nothing once expired.
    let sessions = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::IdleExpiresAt.lt(now))
                .add(session::Column::AbsoluteExpiresAt.lt(now)),
        )
        .exec(db)
        .await?
        .rows_affected
        + staff_session::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(staff_session::Column::IdleExpiresAt.lt(now))
                    .add(staff_session::Column::AbsoluteExpiresAt.lt(now)),
            )
            .exec(db)
            .await?
            .rows_affected;
    let captchas = captcha_use::Entity::delete_many()
        .filter(captcha_use::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    // Typed values whose error page was never opened.
    let echoes = form_echo::Entity::delete_many()
        .filter(form_echo::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    // Attempts older than the longest window count nothing; the margin keeps
    // them while a spend that started before them may still read them.
    let counters = limit_event::Entity::delete_many()
        .filter(limit_event::Column::At.lt(now - 2 * super::limit::LONGEST_WINDOW_SECS))
        .exec(db)
        .await?
        .rows_affected;
    let audit = audit_event::Entity::delete_many()
        .filter(audit_event::Column::At.lt(now - retention.audit_days * DAY))
        .exec(db)
        .await?
        .rows_affected;
    let callback_cutoff = now - retention.callback_days * DAY;
    let callbacks = callback_request::Entity::delete_many()
        .filter(
            Condition::any()
                .add(callback_request::Column::ClosedAt.lt(callback_cutoff))
                .add(
                    Condition::all()
                        .add(callback_request::Column::ClosedAt.is_null())
                        .add(callback_request::Column::UpdatedAt.lt(callback_cutoff)),
                ),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(Swept {
        flows,
        codes,
        held_answers,
        notices,
        mail,
        sessions,
        captchas,
        form_echoes: echoes,
        counters,
        audit,
        callbacks,
    })
}
