//! The outbox worker: delivers due mail every second, until shutdown. Told to
//! stop, it finishes the mail it is sending and claims no other.
//!
//! A mail was written when it was queued, in the language of the person who
//! caused it; the worker sends it as written, in its row's language (a row
//! whose language is none of ours fails and waits, see `mail::lang_of`).

use app::services::mail::{deliver_due_while, Transport};
use app::services::now_unix;
use sea_orm::DatabaseConnection;
use std::time::Duration;
use tokio::sync::watch;

pub async fn run(db: DatabaseConnection, transport: Transport, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        // Drain what is due before waiting again.
        loop {
            let go_on = || !*stop.borrow();
            if !go_on() {
                return;
            }
            match deliver_due_while(&db, &transport, now_unix(), go_on).await {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "mail outbox");
                    break;
                }
            }
        }
    }
}
