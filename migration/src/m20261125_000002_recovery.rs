//! What recovery, login and mail need: e-mailed codes, the fixed question pair,
//! sessions, login locks, the mail outbox, "no fui yo" notices, staff cases and
//! the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RecoveryFlow {
    Table,
    NewEmail,
}

#[derive(DeriveIden)]
enum VerificationCode {
    Table,
    FlowId,
    CodeHash,
    Email,
    SentAt,
    ExpiresAt,
    WrongTries,
    UsedAt,
}

#[derive(DeriveIden)]
enum QuestionPair {
    Table,
    Cedula,
    FirstQuestionId,
    SecondQuestionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    Cedula,
    CreatedAt,
    LastSeenAt,
    IdleExpiresAt,
    AbsoluteExpiresAt,
}

#[derive(DeriveIden)]
enum LoginLock {
    Table,
    Cedula,
    Failures,
    Level,
    LockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    Kind,
    ToAddress,
    Subject,
    BodyText,
    BodyHtml,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    SentAt,
    DeliveredVia,
    LastError,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    Cedula,
    Kind,
    OldEmail,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum StaffCase {
    Table,
    Id,
    Cedula,
    Kind,
    Detail,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    At,
    Actor,
    Action,
    Cedula,
    IpHash,
    Outcome,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RecoveryFlow::Table)
                    .add_column(string_null(RecoveryFlow::NewEmail))
                    .to_owned(),
            )
            .await?;

        // One live code per flow: a new code replaces (and so voids) the old one.
        manager
            .create_table(
                Table::create()
                    .table(VerificationCode::Table)
                    .if_not_exists()
                    .col(string_len(VerificationCode::FlowId, 64).primary_key())
                    .col(string_len(VerificationCode::CodeHash, 64))
                    .col(string(VerificationCode::Email))
                    .col(big_integer(VerificationCode::SentAt))
                    .col(big_integer(VerificationCode::ExpiresAt))
                    .col(integer(VerificationCode::WrongTries).default(0))
                    .col(big_integer_null(VerificationCode::UsedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuestionPair::Table)
                    .if_not_exists()
                    .col(string_len(QuestionPair::Cedula, 10).primary_key())
                    .col(integer(QuestionPair::FirstQuestionId))
                    .col(integer(QuestionPair::SecondQuestionId))
                    .col(big_integer(QuestionPair::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .if_not_exists()
                    .col(string_len(Session::Id, 64).primary_key())
                    .col(string_len(Session::Cedula, 10))
                    .col(big_integer(Session::CreatedAt))
                    .col(big_integer(Session::LastSeenAt))
                    .col(big_integer(Session::IdleExpiresAt))
                    .col(big_integer(Session::AbsoluteExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_cedula")
                    .table(Session::Table)
                    .col(Session::Cedula)
                    .to_owned(),
            )
            .await?;

        // Keyed by the cédula as typed (registered or not), so an unknown cédula
        // is counted and locked exactly like a known one.
        manager
            .create_table(
                Table::create()
                    .table(LoginLock::Table)
                    .if_not_exists()
                    .col(string_len(LoginLock::Cedula, 10).primary_key())
                    .col(integer(LoginLock::Failures).default(0))
                    .col(integer(LoginLock::Level).default(0))
                    .col(big_integer_null(LoginLock::LockedUntil))
                    .col(big_integer(LoginLock::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .if_not_exists()
                    .col(pk_auto(MailOutbox::Id))
                    .col(string_len(MailOutbox::Kind, 32))
                    .col(string(MailOutbox::ToAddress))
                    .col(string(MailOutbox::Subject))
                    .col(text(MailOutbox::BodyText))
                    .col(text(MailOutbox::BodyHtml))
                    .col(big_integer(MailOutbox::CreatedAt))
                    .col(integer(MailOutbox::Attempts).default(0))
                    .col(big_integer(MailOutbox::NextAttemptAt))
                    .col(big_integer_null(MailOutbox::LockedUntil))
                    .col(big_integer_null(MailOutbox::SentAt))
                    .col(string_len_null(MailOutbox::DeliveredVia, 16))
                    .col(text_null(MailOutbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_outbox_due")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::SentAt)
                    .col(MailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notice::Table)
                    .if_not_exists()
                    .col(string_len(Notice::Id, 64).primary_key())
                    .col(string_len(Notice::Cedula, 10))
                    .col(string_len(Notice::Kind, 32))
                    .col(string_null(Notice::OldEmail))
                    .col(big_integer(Notice::CreatedAt))
                    .col(big_integer(Notice::ExpiresAt))
                    .col(big_integer_null(Notice::UsedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffCase::Table)
                    .if_not_exists()
                    .col(pk_auto(StaffCase::Id))
                    .col(string_len(StaffCase::Cedula, 10))
                    .col(string_len(StaffCase::Kind, 32))
                    .col(text(StaffCase::Detail))
                    .col(string_len(StaffCase::Status, 16))
                    .col(big_integer(StaffCase::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .if_not_exists()
                    .col(pk_auto(AuditEvent::Id))
                    .col(big_integer(AuditEvent::At))
                    .col(string_len(AuditEvent::Actor, 64))
                    .col(string_len(AuditEvent::Action, 64))
                    .col(string_len_null(AuditEvent::Cedula, 10))
                    .col(string_len_null(AuditEvent::IpHash, 64))
                    .col(string_len(AuditEvent::Outcome, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_event_cedula")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::Cedula)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
