use sea_orm::entity::prelude::*;

/// A call-back request ("solicitud de contacto"): who to call, where and when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callback_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the person is given to quote, e.g. `CB-7K4M-Q2XP`.
    #[sea_orm(unique)]
    pub reference: String,
    pub cedula: String,
    /// The cédula while the request is open, `None` once resolved (unique:
    /// one open request per cédula).
    #[sea_orm(unique)]
    pub open_cedula: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// E.164.
    pub phone: String,
    /// The number of a later, merged request when it differs.
    pub phone_alt: Option<String>,
    /// `morning`, `afternoon` or `any` (Ecuador time; `domain::callback::TimeWindow`).
    pub time_window: String,
    /// `open`, `claimed`, `contacted` or `resolved`.
    pub status: String,
    /// The staff user working it.
    pub claimed_by: Option<String>,
    /// The resolution note.
    pub note: Option<String>,
    /// How many later requests were merged into this one.
    pub merges: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
