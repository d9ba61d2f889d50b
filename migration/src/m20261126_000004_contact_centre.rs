//! What the contact centre needs (SPEC §2.3, §2.4): call-back requests, staff
//! accounts with their own sessions, how staff cases are worked, and the
//! reason staff give for what they do (kept with the audit event).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CallbackRequest {
    Table,
    Id,
    Reference,
    Cedula,
    /// The cédula while the request is open, NULL once resolved: a unique
    /// column both backends allow many NULLs in, so two instances can never
    /// open two requests for one cédula.
    OpenCedula,
    Country,
    Phone,
    PhoneAlt,
    TimeWindow,
    Status,
    ClaimedBy,
    Note,
    Merges,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum StaffAccount {
    Table,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    Username,
    CreatedAt,
    IdleExpiresAt,
    AbsoluteExpiresAt,
}

#[derive(DeriveIden)]
enum StaffCase {
    Table,
    ClaimedBy,
    Note,
    ClosedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallbackRequest::Table)
                    .if_not_exists()
                    .col(pk_auto(CallbackRequest::Id))
                    .col(string_len_uniq(CallbackRequest::Reference, 16))
                    .col(string_len(CallbackRequest::Cedula, 10))
                    .col(string_len_null(CallbackRequest::OpenCedula, 10).unique_key())
                    .col(string_len(CallbackRequest::Country, 2))
                    .col(string_len(CallbackRequest::Phone, 16))
                    .col(string_len_null(CallbackRequest::PhoneAlt, 16))
                    .col(string_len(CallbackRequest::TimeWindow, 16))
                    .col(string_len(CallbackRequest::Status, 16))
                    .col(string_len_null(CallbackRequest::ClaimedBy, 64))
                    .col(text_null(CallbackRequest::Note))
                    .col(integer(CallbackRequest::Merges).default(0))
                    .col(big_integer(CallbackRequest::CreatedAt))
                    .col(big_integer(CallbackRequest::UpdatedAt))
                    .col(big_integer_null(CallbackRequest::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_callback_status_created")
                    .table(CallbackRequest::Table)
                    .col(CallbackRequest::Status)
                    .col(CallbackRequest::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffAccount::Table)
                    .if_not_exists()
                    .col(string_len(StaffAccount::Username, 64).primary_key())
                    .col(string_len(StaffAccount::DisplayName, 120))
                    .col(string(StaffAccount::PasswordHash))
                    .col(string_len(StaffAccount::Role, 16))
                    .col(boolean(StaffAccount::Active).default(true))
                    .col(big_integer(StaffAccount::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffSession::Table)
                    .if_not_exists()
                    .col(string_len(StaffSession::Id, 64).primary_key())
                    .col(string_len(StaffSession::Username, 64))
                    .col(big_integer(StaffSession::CreatedAt))
                    .col(big_integer(StaffSession::IdleExpiresAt))
                    .col(big_integer(StaffSession::AbsoluteExpiresAt))
                    .to_owned(),
            )
            .await?;

        // SQLite takes one column per ALTER TABLE.
        for column in [
            string_len_null(StaffCase::ClaimedBy, 64),
            text_null(StaffCase::Note),
            big_integer_null(StaffCase::ClosedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(StaffCase::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .add_column(text_null(AuditEvent::Detail))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvent::Table)
                    .drop_column(AuditEvent::Detail)
                    .to_owned(),
            )
            .await?;
        for column in [StaffCase::ClaimedBy, StaffCase::Note, StaffCase::ClosedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(StaffCase::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            StaffSession::Table.into_iden(),
            StaffAccount::Table.into_iden(),
            CallbackRequest::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
