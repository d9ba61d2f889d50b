//! Security questions: the catalogue a first request chooses from, the answers
//! it holds until the clave is created, the fixed pair a recovery asks, and
//! checking answers without telling which one was wrong.

use super::hashing;
use crate::domain::answer::normalise;
use crate::lang::Lang;
use entity::{flow_answer, question_pair, security_answer, security_question};
use rand::seq::SliceRandom;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// A question as shown to the affiliate, in both languages of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: i32,
    pub text_es: String,
    pub text_en: String,
}

impl Question {
    /// The question in `lang`, as the page shows it.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_es, &self.text_en)
    }
}

/// The active questions of the catalogue, in catalogue order.
pub async fn catalogue(db: &DatabaseConnection) -> Result<Vec<Question>, DbErr> {
    Ok(security_question::Entity::find()
        .filter(security_question::Column::Active.eq(true))
        .order_by_asc(security_question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|q| Question {
            id: q.id,
            text_es: q.text_es,
            text_en: q.text_en,
        })
        .collect())
}

/// The fewest questions the catalogue may offer: a first request chooses
/// [`TO_CHOOSE`](crate::domain::questions::TO_CHOOSE) different ones, and
/// should still have a choice.
pub const MIN_ACTIVE: usize = 6;

/// Every question of the catalogue, offered or not, in catalogue order.
pub async fn list_all(db: &DatabaseConnection) -> Result<Vec<security_question::Model>, DbErr> {
    security_question::Entity::find()
        .order_by_asc(security_question::Column::Id)
        .all(db)
        .await
}

fn check_text(text: &str, language: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(format!("the {language} text must have 1 to 200 characters"));
    }
    if !text.ends_with('?') {
        return Err(format!(
            "the {language} text must be a question (end with «?»)"
        ));
    }
    Ok(text.to_owned())
}

/// Adds a question to the catalogue (offered at once); returns its id, or why not.
pub async fn add(
    db: &DatabaseConnection,
    text_es: &str,
    text_en: &str,
) -> Result<Result<i32, String>, DbErr> {
    let (es, en) = match (
        check_text(text_es, "Spanish"),
        check_text(text_en, "English"),
    ) {
        (Ok(es), Ok(en)) => (es, en),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    if list_all(db).await?.iter().any(|q| q.text_es == es) {
        return Ok(Err("the catalogue already has that question".into()));
    }
    let row = security_question::Entity::insert(security_question::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        text_es: Set(es),
        text_en: Set(en),
        active: Set(true),
    })
    .exec_with_returning(db)
    .await?;
    Ok(Ok(row.id))
}

/// Offers question `id` again, or stops offering it. Affiliates who chose it
/// keep it; retiring is refused when fewer than [`MIN_ACTIVE`] would remain.
pub async fn set_active(
    db: &DatabaseConnection,
    id: i32,
    active: bool,
) -> Result<Result<(), String>, DbErr> {
    let all = list_all(db).await?;
    if !all.iter().any(|q| q.id == id) {
        return Ok(Err(format!("there is no question {id}")));
    }
    let offered = all.iter().filter(|q| q.active && q.id != id).count();
    if !active && offered < MIN_ACTIVE {
        return Ok(Err(format!(
            "the catalogue must keep at least {MIN_ACTIVE} questions on offer"
        )));
    }
    security_question::Entity::update_many()
        .col_expr(
            security_question::Column::Active,
            sea_orm::sea_query::Expr::value(active),
        )
        .filter(security_question::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(Ok(()))
}

/// Hashes the chosen `(question id, answer)` pairs and holds them in flow
/// `flow_id` until the clave is created (replacing any held before).
pub async fn hold_choice(
    db: &DatabaseConnection,
    flow_id: &str,
    chosen: &[(i32, String)],
) -> Result<(), super::ServiceError> {
    let mut rows = Vec::with_capacity(chosen.len());
    for (position, (question_id, answer)) in chosen.iter().enumerate() {
        let hash = hashing::hash(normalise(answer)).await?;
        rows.push(flow_answer::ActiveModel {
            flow_id: Set(flow_id.to_owned()),
            position: Set(position as i32),
            question_id: Set(*question_id),
            answer_hash: Set(hash),
        });
    }
    let txn = db.begin().await?;
    flow_answer::Entity::delete_many()
        .filter(flow_answer::Column::FlowId.eq(flow_id))
        .exec(&txn)
        .await?;
    flow_answer::Entity::insert_many(rows).exec(&txn).await?;
    Ok(txn.commit().await?)
}

/// Makes the answers held by flow `flow_id` the affiliate's own, replacing
/// any earlier ones (inside the transaction that creates the clave).
pub async fn adopt_choice<C: sea_orm::ConnectionTrait>(
    db: &C,
    flow_id: &str,
    cedula: &str,
) -> Result<usize, DbErr> {
    let held = flow_answer::Entity::find()
        .filter(flow_answer::Column::FlowId.eq(flow_id))
        .order_by_asc(flow_answer::Column::Position)
        .all(db)
        .await?;
    security_answer::Entity::delete_many()
        .filter(security_answer::Column::Cedula.eq(cedula))
        .exec(db)
        .await?;
    let count = held.len();
    if count > 0 {
        security_answer::Entity::insert_many(held.into_iter().map(|h| {
            security_answer::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                cedula: Set(cedula.to_owned()),
                question_id: Set(h.question_id),
                answer_hash: Set(h.answer_hash),
            }
        }))
        .exec(db)
        .await?;
    }
    flow_answer::Entity::delete_many()
        .filter(flow_answer::Column::FlowId.eq(flow_id))
        .exec(db)
        .await?;
    forget_pair(db, cedula).await?;
    Ok(count)
}

/// The affiliate's questions with their stored answer hashes, in catalogue order.
async fn answered(db: &DatabaseConnection, cedula: &str) -> Result<Vec<(Question, String)>, DbErr> {
    let answers = security_answer::Entity::find()
        .filter(security_answer::Column::Cedula.eq(cedula))
        .order_by_asc(security_answer::Column::QuestionId)
        .all(db)
        .await?;
    // Two queries, not one per answer: every recovery step that asks comes here.
    let texts: std::collections::HashMap<i32, (String, String)> = security_question::Entity::find()
        .filter(security_question::Column::Id.is_in(answers.iter().map(|a| a.question_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, (q.text_es, q.text_en)))
        .collect();
    let out = answers
        .into_iter()
        .filter_map(|a| {
            let (text_es, text_en) = texts.get(&a.question_id)?.clone();
            Some((
                Question {
                    id: a.question_id,
                    text_es,
                    text_en,
                },
                a.answer_hash,
            ))
        })
        .collect();
    Ok(out)
}

/// All four questions (the §2.1.1 path asks every one).
pub async fn all_for(db: &DatabaseConnection, cedula: &str) -> Result<Vec<Question>, DbErr> {
    Ok(answered(db, cedula)
        .await?
        .into_iter()
        .map(|(q, _)| q)
        .collect())
}

/// The two questions this affiliate is asked: chosen once at random and kept
/// until a recovery succeeds, so starting again never offers an easier pair.
pub async fn pair_for(
    db: &DatabaseConnection,
    cedula: &str,
    now: i64,
) -> Result<Vec<Question>, DbErr> {
    let all = all_for(db, cedula).await?;
    if all.len() < 2 {
        return Ok(all);
    }
    if question_pair::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?
        .is_none()
    {
        let chosen: Vec<i32> = all
            .choose_multiple(&mut rand::rngs::OsRng, 2)
            .map(|q| q.id)
            .collect();
        // Two requests racing here keep whichever pair was written first.
        question_pair::Entity::insert(question_pair::ActiveModel {
            cedula: Set(cedula.to_owned()),
            first_question_id: Set(chosen[0].min(chosen[1])),
            second_question_id: Set(chosen[0].max(chosen[1])),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(question_pair::Column::Cedula)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    let pair = question_pair::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?
        .map(|p| [p.first_question_id, p.second_question_id])
        .unwrap_or_default();
    Ok(all.into_iter().filter(|q| pair.contains(&q.id)).collect())
}

/// Forgets the pair after a successful recovery.
pub async fn forget_pair<C: sea_orm::ConnectionTrait>(db: &C, cedula: &str) -> Result<(), DbErr> {
    question_pair::Entity::delete_by_id(cedula.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// True only if every `(question id, answer)` given matches, and every asked
/// question (`expected`) was answered. All answers are hashed whatever the
/// outcome, so the time taken does not tell which one failed.
pub async fn answers_match(
    db: &DatabaseConnection,
    cedula: &str,
    expected: &[i32],
    given: &[(i32, String)],
) -> Result<bool, super::ServiceError> {
    let stored = answered(db, cedula).await?;
    let mut all_ok = !expected.is_empty();
    for id in expected {
        let answer = given
            .iter()
            .find(|(q, _)| q == id)
            .map(|(_, a)| normalise(a))
            .unwrap_or_default();
        let hash = stored
            .iter()
            .find(|(q, _)| q.id == *id)
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        let ok = hashing::verify(answer.clone(), hash).await?;
        all_ok &= ok && !answer.is_empty();
    }
    Ok(all_ok)
}
