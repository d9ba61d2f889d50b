//! What solicitar clave needs: the mobile phone given in the flow, the answers
//! chosen in the flow (kept apart until the clave is created, so an abandoned
//! request changes nothing), and the security-question catalogue itself, so
//! every installation starts with one that operators can then change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RecoveryFlow {
    Table,
    NewPhone,
}

#[derive(DeriveIden)]
enum FlowAnswer {
    Table,
    FlowId,
    Position,
    QuestionId,
    AnswerHash,
}

#[derive(DeriveIden)]
enum SecurityQuestion {
    Table,
    TextEs,
    TextEn,
    Active,
}

/// The first catalogue (Spanish, English): answers that are not public (no
/// mother's maiden name, no birthplace) and not a guess among a few (no
/// favourite colour).
const CATALOGUE: [(&str, &str); 13] = [
    (
        "¿Cómo se llamaba su mejor amigo o amiga de la infancia?",
        "What was the name of your best childhood friend?",
    ),
    (
        "¿En qué calle vivía cuando tenía diez años?",
        "What street did you live on when you were ten?",
    ),
    (
        "¿Cuál fue el primer plato que aprendió a cocinar?",
        "What was the first dish you learned to cook?",
    ),
    (
        "¿Cómo se llamaba su profesor o profesora favorito de la escuela?",
        "What was the name of your favourite school teacher?",
    ),
    (
        "¿Qué apodo le pusieron en su primer trabajo?",
        "What nickname were you given at your first job?",
    ),
    (
        "¿Cuál fue el primer espectáculo o concierto al que asistió?",
        "What was the first show or concert you went to?",
    ),
    (
        "¿De qué marca fue su primer teléfono celular?",
        "What brand was your first mobile phone?",
    ),
    (
        "¿Qué personaje de un libro o película admiraba de niño?",
        "Which character from a book or film did you admire as a child?",
    ),
    (
        "¿Dónde pasó las vacaciones que más recuerda de su niñez?",
        "Where did you spend the holiday you remember most from childhood?",
    ),
    (
        "¿Qué regalo de su infancia recuerda más?",
        "Which childhood present do you remember most?",
    ),
    (
        "¿Cómo se llamaba el barrio donde vivían sus abuelos?",
        "What was the name of the neighbourhood where your grandparents lived?",
    ),
    (
        "¿Cuál fue el primer libro que leyó por gusto?",
        "What was the first book you read for pleasure?",
    ),
    (
        "¿Qué instrumento o deporte quiso aprender y nunca aprendió?",
        "Which instrument or sport did you want to learn but never did?",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RecoveryFlow::Table)
                    .add_column(string_len_null(RecoveryFlow::NewPhone, 16))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FlowAnswer::Table)
                    .if_not_exists()
                    .col(string_len(FlowAnswer::FlowId, 64))
                    .col(integer(FlowAnswer::Position))
                    .col(integer(FlowAnswer::QuestionId))
                    .col(string(FlowAnswer::AnswerHash))
                    .primary_key(
                        Index::create()
                            .col(FlowAnswer::FlowId)
                            .col(FlowAnswer::Position),
                    )
                    .to_owned(),
            )
            .await?;

        // Earlier development databases got the catalogue from the demo seed.
        let count = manager
            .get_connection()
            .query_one(
                &Query::select()
                    .expr(Expr::col(Asterisk).count())
                    .from(SecurityQuestion::Table)
                    .to_owned(),
            )
            .await?
            .map(|row| row.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if count == 0 {
            let mut insert = Query::insert()
                .into_table(SecurityQuestion::Table)
                .columns([
                    SecurityQuestion::TextEs,
                    SecurityQuestion::TextEn,
                    SecurityQuestion::Active,
                ])
                .to_owned();
            for (es, en) in CATALOGUE {
                insert.values_panic([es.into(), en.into(), true.into()]);
            }
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FlowAnswer::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RecoveryFlow::Table)
                    .drop_column(RecoveryFlow::NewPhone)
                    .to_owned(),
            )
            .await
    }
}
