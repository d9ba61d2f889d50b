//! The affiliate registry (SPEC §3), read by cédula: the one way the pages
//! reach it (the staff console and the flows alike), so no page queries the
//! table itself.

use entity::affiliate;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// The affiliate with this cédula, if registered.
pub async fn affiliate(
    db: &DatabaseConnection,
    cedula: &str,
) -> Result<Option<affiliate::Model>, DbErr> {
    affiliate::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await
}

/// The registered affiliates among `cedulas` (the others are left out).
pub async fn affiliates(
    db: &DatabaseConnection,
    cedulas: Vec<String>,
) -> Result<Vec<affiliate::Model>, DbErr> {
    affiliate::Entity::find()
        .filter(affiliate::Column::Cedula.is_in(cedulas))
        .all(db)
        .await
}
