//! Fixed-window counters in the database, so limits hold across instances and
//! restarts.

use entity::rate_limit;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// A budget: at most `limit` events per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub limit: i32,
    pub window_secs: i64,
}

impl Budget {
    pub const fn per_hour(limit: i32) -> Budget {
        Budget {
            limit,
            window_secs: 3_600,
        }
    }

    pub const fn per_day(limit: i32) -> Budget {
        Budget {
            limit,
            window_secs: 86_400,
        }
    }
}

impl Budget {
    /// When the window holding `now` ends: a spent budget is usable again then.
    pub fn window_end(self, now: i64) -> i64 {
        now - now.rem_euclid(self.window_secs) + self.window_secs
    }
}

/// Records one event for `key` and tells whether it is still within `budget`.
pub async fn spend(
    db: &DatabaseConnection,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<bool, DbErr> {
    Ok(record(db, key, budget, now).await? <= budget.limit)
}

/// Records one event for `key` and returns how many the window now holds.
/// The increment is a single upsert, so concurrent instances never lose a count.
pub async fn record(
    db: &DatabaseConnection,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<i32, DbErr> {
    let window_start = budget.window_end(now) - budget.window_secs;
    let row = rate_limit::Entity::insert(rate_limit::ActiveModel {
        key: Set(key.to_owned()),
        window_start: Set(window_start),
        count: Set(1),
    })
    .on_conflict(
        OnConflict::columns([rate_limit::Column::Key, rate_limit::Column::WindowStart])
            .value(
                rate_limit::Column::Count,
                Expr::col((rate_limit::Entity, rate_limit::Column::Count)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(row.count)
}

/// How many events `key` has in the current window, without spending one.
pub async fn used(
    db: &DatabaseConnection,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<i32, DbErr> {
    let window_start = budget.window_end(now) - budget.window_secs;
    Ok(rate_limit::Entity::find()
        .filter(rate_limit::Column::Key.eq(key))
        .filter(rate_limit::Column::WindowStart.eq(window_start))
        .one(db)
        .await?
        .map_or(0, |r| r.count))
}
