//! Every mail goes out in the language of the person who caused it: the
//! outbox keeps that language with each row (`es` or `en`, as
//! `domain::lang::Lang::code` writes it), checked by the schema as the other
//! enumerated columns are (migration 9). Rows queued before this migration
//! were all written in Spanish, which the default says.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Lang,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailOutbox::Table)
                    .add_column(
                        ColumnDef::new(MailOutbox::Lang)
                            .text()
                            .not_null()
                            .default("es")
                            .check(Expr::col(MailOutbox::Lang).is_in(["es", "en"])),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailOutbox::Table)
                    .drop_column(MailOutbox::Lang)
                    .to_owned(),
            )
            .await
    }
}
