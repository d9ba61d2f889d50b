//! Database migrations shared by SQLite and PostgreSQL.
//!
//! Only portable column types are used (text, integers, dates); every instant is
//! stored as Unix seconds in a `BIGINT`, so both backends compare them the same way.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;
mod m20261125_000002_recovery;
mod m20261126_000003_request;
mod m20261126_000004_contact_centre;
mod m20261203_000005_limit_events;
mod m20261203_000006_form_echo;
mod m20261203_000007_callback_reference;
mod m20261203_000008_staff_factor;
mod m20261203_000009_enum_checks;
mod m20261208_000010_mail_lang;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_init::Migration),
            Box::new(m20261125_000002_recovery::Migration),
            Box::new(m20261126_000003_request::Migration),
            Box::new(m20261126_000004_contact_centre::Migration),
            Box::new(m20261203_000005_limit_events::Migration),
            Box::new(m20261203_000006_form_echo::Migration),
            Box::new(m20261203_000007_callback_reference::Migration),
            Box::new(m20261203_000008_staff_factor::Migration),
            Box::new(m20261203_000009_enum_checks::Migration),
            Box::new(m20261208_000010_mail_lang::Migration),
        ]
    }
}
