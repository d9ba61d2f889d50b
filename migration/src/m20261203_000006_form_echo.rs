//! What a form posted without JavaScript typed, kept on the server for the one
//! page that shows its errors: the redirect URL that carries the errors must
//! carry no typed value (birth dates, e-mails, phones… would stay in the
//! browser's history and in any proxy's log).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FormEcho {
    Table,
    /// SHA-256 of the token in the short-lived `clave_echo` cookie.
    Id,
    /// The typed values, as a JSON list of `[field, value]` pairs.
    FieldValues,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormEcho::Table)
                    .if_not_exists()
                    .col(string_len(FormEcho::Id, 64).primary_key())
                    .col(text(FormEcho::FieldValues))
                    .col(big_integer(FormEcho::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormEcho::Table).to_owned())
            .await
    }
}
