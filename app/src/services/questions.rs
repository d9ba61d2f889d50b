//! Security questions of a recovery: the fixed pair asked of an affiliate, and
//! checking answers without telling which one was wrong.

use super::hashing;
use crate::domain::answer::normalise;
use entity::{question_pair, security_answer, security_question};
use rand::seq::SliceRandom;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// A question as shown to the affiliate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: i32,
    pub text_es: String,
}

/// The affiliate's questions with their stored answer hashes, in catalogue order.
async fn answered(db: &DatabaseConnection, cedula: &str) -> Result<Vec<(Question, String)>, DbErr> {
    let answers = security_answer::Entity::find()
        .filter(security_answer::Column::Cedula.eq(cedula))
        .order_by_asc(security_answer::Column::QuestionId)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(answers.len());
    for a in answers {
        if let Some(q) = security_question::Entity::find_by_id(a.question_id)
            .one(db)
            .await?
        {
            out.push((
                Question {
                    id: q.id,
                    text_es: q.text_es,
                },
                a.answer_hash,
            ));
        }
    }
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
) -> Result<bool, DbErr> {
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
        let ok = hashing::verify(answer.clone(), hash).await;
        all_ok &= ok && !answer.is_empty();
    }
    Ok(all_ok)
}
