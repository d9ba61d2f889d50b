//! The affiliate registry, credentials, security questions, recovery flows, the
//! captcha used-set and rate-limit counters.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Affiliate {
    Table,
    Cedula,
    GivenNames,
    Surnames,
    BirthDate,
    CodigoDactilar,
    Email,
    Phone,
    Country,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Credential {
    Table,
    Cedula,
    PasswordHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SecurityQuestion {
    Table,
    Id,
    TextEs,
    TextEn,
    Active,
}

#[derive(DeriveIden)]
enum SecurityAnswer {
    Table,
    Id,
    Cedula,
    QuestionId,
    AnswerHash,
}

#[derive(DeriveIden)]
enum RecoveryFlow {
    Table,
    Id,
    Kind,
    Cedula,
    State,
    IdentityFailures,
    CreatedAt,
    UpdatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum CaptchaUse {
    Table,
    Signature,
    ExpiresAt,
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
                    .table(Affiliate::Table)
                    .if_not_exists()
                    .col(string_len(Affiliate::Cedula, 10).primary_key())
                    .col(string(Affiliate::GivenNames))
                    .col(string(Affiliate::Surnames))
                    .col(date(Affiliate::BirthDate))
                    .col(string_len(Affiliate::CodigoDactilar, 10))
                    .col(string(Affiliate::Email))
                    .col(string_null(Affiliate::Phone))
                    .col(string_len(Affiliate::Country, 2))
                    .col(string_len(Affiliate::Status, 16))
                    .col(big_integer(Affiliate::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Credential::Table)
                    .if_not_exists()
                    .col(string_len(Credential::Cedula, 10).primary_key())
                    .col(text(Credential::PasswordHash))
                    .col(big_integer(Credential::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Credential::Table, Credential::Cedula)
                            .to(Affiliate::Table, Affiliate::Cedula)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SecurityQuestion::Table)
                    .if_not_exists()
                    .col(pk_auto(SecurityQuestion::Id))
                    .col(string(SecurityQuestion::TextEs))
                    .col(string(SecurityQuestion::TextEn))
                    .col(boolean(SecurityQuestion::Active))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SecurityAnswer::Table)
                    .if_not_exists()
                    .col(pk_auto(SecurityAnswer::Id))
                    .col(string_len(SecurityAnswer::Cedula, 10))
                    .col(integer(SecurityAnswer::QuestionId))
                    .col(text(SecurityAnswer::AnswerHash))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SecurityAnswer::Table, SecurityAnswer::Cedula)
                            .to(Affiliate::Table, Affiliate::Cedula)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SecurityAnswer::Table, SecurityAnswer::QuestionId)
                            .to(SecurityQuestion::Table, SecurityQuestion::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_security_answer_cedula_question")
                    .table(SecurityAnswer::Table)
                    .col(SecurityAnswer::Cedula)
                    .col(SecurityAnswer::QuestionId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecoveryFlow::Table)
                    .if_not_exists()
                    .col(string_len(RecoveryFlow::Id, 64).primary_key())
                    .col(string_len(RecoveryFlow::Kind, 16))
                    .col(string_len(RecoveryFlow::Cedula, 10))
                    .col(string_len(RecoveryFlow::State, 32))
                    .col(integer(RecoveryFlow::IdentityFailures).default(0))
                    .col(big_integer(RecoveryFlow::CreatedAt))
                    .col(big_integer(RecoveryFlow::UpdatedAt))
                    .col(big_integer(RecoveryFlow::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_flow_expires_at")
                    .table(RecoveryFlow::Table)
                    .col(RecoveryFlow::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaptchaUse::Table)
                    .if_not_exists()
                    .col(string_len(CaptchaUse::Signature, 64).primary_key())
                    .col(big_integer(CaptchaUse::ExpiresAt))
                    .to_owned(),
            )
            .await?;

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
        Ok(())
    }
}
