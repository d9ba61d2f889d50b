//! The values a form posted without JavaScript typed, kept here for the one
//! page that shows its errors. The errors travel back in the redirect URL
//! (where Leptos's `ServerAction` reads them); the typed values must not: a
//! birth date, an e-mail or a phone in a URL stays in the browser's history and
//! in every log on the way. The page finds them through a short-lived cookie
//! and deletes them as it reads them.

use super::account::{random_token, token_id};
use entity::form_echo;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};

/// How long the values wait for their page (a redirect is followed at once).
pub const ECHO_SECS: i64 = 300;

/// Name of the cookie that leads the next page to the values.
pub const COOKIE: &str = "clave_echo";

/// The values, as the page's request carries them (request extension).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormEcho(pub Vec<(String, String)>);

/// Keeps `values` and returns the token for the cookie.
pub async fn keep(
    db: &DatabaseConnection,
    values: &[(String, String)],
    now: i64,
) -> Result<String, DbErr> {
    let token = random_token();
    let field_values = serde_json::to_string(values).map_err(|e| DbErr::Custom(e.to_string()))?;
    form_echo::Entity::insert(form_echo::ActiveModel {
        id: Set(token_id(&token)),
        field_values: Set(field_values),
        expires_at: Set(now + ECHO_SECS),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// Takes the values behind `token` (once: they are deleted), if still there.
pub async fn take(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<FormEcho>, DbErr> {
    if !super::account::looks_like_token(token) {
        return Ok(None);
    }
    let id = token_id(token);
    let Some(row) = form_echo::Entity::find_by_id(id.clone()).one(db).await? else {
        return Ok(None);
    };
    let deleted = form_echo::Entity::delete_by_id(id).exec(db).await?;
    if deleted.rows_affected != 1 || row.expires_at <= now {
        return Ok(None);
    }
    Ok(serde_json::from_str(&row.field_values).ok().map(FormEcho))
}
