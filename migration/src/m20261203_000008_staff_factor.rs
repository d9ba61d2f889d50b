//! The staff second factor (ASVS V2.8, V4.3.1): a TOTP secret per account,
//! enrolled at the first sign-in, with the last step accepted (a code is good
//! once); ten single-use recovery codes, kept as keyed hashes; and a stage on
//! each staff session, so a password alone opens nothing but the factor page.
//! Sessions open before this migration must pass the factor too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffFactor {
    Table,
    Username,
    Secret,
    EnrolledAt,
    LastStep,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffRecoveryCode {
    Table,
    Username,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Stage,
}

#[derive(DeriveIden)]
enum StaffAccount {
    Table,
    Username,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffFactor::Table)
                    .if_not_exists()
                    .col(string_len(StaffFactor::Username, 64).primary_key())
                    .col(string_len(StaffFactor::Secret, 64))
                    .col(big_integer_null(StaffFactor::EnrolledAt))
                    .col(big_integer_null(StaffFactor::LastStep))
                    .col(big_integer(StaffFactor::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffFactor::Table, StaffFactor::Username)
                            .to(StaffAccount::Table, StaffAccount::Username)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffRecoveryCode::Table)
                    .if_not_exists()
                    .col(string_len(StaffRecoveryCode::Username, 64))
                    .col(string_len(StaffRecoveryCode::CodeHash, 64))
                    .col(big_integer_null(StaffRecoveryCode::UsedAt))
                    .primary_key(
                        Index::create()
                            .col(StaffRecoveryCode::Username)
                            .col(StaffRecoveryCode::CodeHash),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffRecoveryCode::Table, StaffRecoveryCode::Username)
                            .to(StaffAccount::Table, StaffAccount::Username)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StaffSession::Table)
                    .add_column(
                        ColumnDef::new(StaffSession::Stage)
                            .string_len(16)
                            .not_null()
                            .default("password")
                            .check(Expr::col(StaffSession::Stage).is_in(["password", "complete"])),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StaffSession::Table)
                    .drop_column(StaffSession::Stage)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(StaffRecoveryCode::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StaffFactor::Table).to_owned())
            .await
    }
}
