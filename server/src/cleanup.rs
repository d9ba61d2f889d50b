//! The cleanup job: applies the retention settings once at start and then
//! every hour, until shutdown.

use app::services::now_unix;
use app::services::retention::{sweep, Retention};
use sea_orm::DatabaseConnection;
use std::time::Duration;
use tokio::sync::watch;

pub async fn run(db: DatabaseConnection, retention: Retention, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3_600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        match sweep(&db, retention, now_unix()).await {
            Ok(swept) => tracing::info!(deleted = swept.total(), ?swept, "retention cleanup"),
            Err(e) => tracing::error!(error = %e, "retention cleanup"),
        }
    }
}
