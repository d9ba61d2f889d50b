//! Every call-back submission gets its own reference, also when it is merged
//! into the cédula's open request: a receipt that repeated the open request's
//! reference told whoever typed a cédula that it had an open request, and
//! what its reference was (SPEC §2.3). The extra references point here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CallbackReference {
    Table,
    Reference,
    RequestId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CallbackRequest {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallbackReference::Table)
                    .if_not_exists()
                    .col(string_len(CallbackReference::Reference, 16).primary_key())
                    .col(integer(CallbackReference::RequestId))
                    .col(big_integer(CallbackReference::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CallbackReference::Table, CallbackReference::RequestId)
                            .to(CallbackRequest::Table, CallbackRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CallbackReference::Table).to_owned())
            .await
    }
}
