//! Sliding-window limits (SPEC §4.2): one row per limited attempt replaces the
//! fixed-window counters, so "per hour" and "per 24 h" mean the last hour and
//! the last 24 hours, not clock hours or UTC days.
//!
//! `(key, seq)` is the primary key: an attempt is spent by one conditional
//! `INSERT … SELECT … WHERE (attempts in the window) < limit`, and two
//! instances racing for the same key cannot both take the same next `seq`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LimitEvent {
    Table,
    Key,
    Seq,
    At,
    /// 1 once the attempt succeeded and no longer counts against the limit.
    Refunded,
}

#[derive(DeriveIden)]
enum RateLimit {
    Table,
    Key,
    WindowStart,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LimitEvent::Table)
                    .if_not_exists()
                    .col(string_len(LimitEvent::Key, 128))
                    .col(big_integer(LimitEvent::Seq))
                    .col(big_integer(LimitEvent::At))
                    .col(small_integer(LimitEvent::Refunded).default(0))
                    .primary_key(Index::create().col(LimitEvent::Key).col(LimitEvent::Seq))
                    .check(Expr::col(LimitEvent::Refunded).is_in([0, 1]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_limit_event_key_at")
                    .table(LimitEvent::Table)
                    .col(LimitEvent::Key)
                    .col(LimitEvent::At)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(RateLimit::Table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimit::Table)
                    .if_not_exists()
                    .col(string_len(RateLimit::Key, 128))
                    .col(big_integer(RateLimit::WindowStart))
                    .col(integer(RateLimit::Count))
                    .primary_key(
                        Index::create()
                            .col(RateLimit::Key)
                            .col(RateLimit::WindowStart),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LimitEvent::Table).to_owned())
            .await
    }
}
