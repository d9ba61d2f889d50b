//! Mail: Spanish (or English) bodies, the database outbox and its delivery.
//!
//! A request only writes a row to the outbox, so its timing never depends on
//! SMTP; the worker delivers rows with retries and back-off, and an SMTP outage
//! delays mail without losing any. Several instances may run workers: a row is
//! claimed with a conditional update before it is sent.
//!
//! A mail is written when it is queued, in the language of the person who
//! caused it ([`requester_lang`]), and the row keeps that language: the worker
//! reads it back ([`lang_of`]) and says it in the message's `Content-Language`.

use super::db::stored_lang;
use super::{telemetry, Settings};
use crate::domain::stored::{Delivery, MailKind, Stored};
use crate::lang::Lang;
use entity::mail_outbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// The language of a mail the running request causes. The person who caused
/// it is the one asking, so it is their page's language. Outside a request (a
/// staff action about an affiliate, a worker) nobody's page is at hand; the
/// affiliate's flow would say next, but no flow stores a language, so such a
/// mail is Spanish, which is also what `lang()` answers outside a request.
pub fn requester_lang() -> Lang {
    crate::lang::lang()
}

/// The language an outbox row was written in: a code outside the schema's
/// set is a database error, never Spanish by default.
pub fn lang_of(row: &mail_outbox::Model) -> Result<Lang, DbErr> {
    stored_lang("mail_outbox.lang", &row.lang)
}

/// A rendered mail: subject, plain text and HTML, in `lang`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub lang: Lang,
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Wraps paragraphs (and one optional link button) into both bodies.
fn compose(lang: Lang, subject: String, paragraphs: &[String], link: Option<(&str, &str)>) -> Mail {
    let mut text = paragraphs.join("\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:Arial,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c\">",
        lang.tag()
    );
    for p in paragraphs {
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("\n\n{label}: {url}"));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"color:#1d70b8\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    html.push_str("</body></html>");
    Mail {
        lang,
        subject,
        text,
        html,
    }
}

/// "If it was not you": the last paragraph of a notice about a clave.
fn not_you(lang: Lang) -> String {
    lang.pick(
        "Si no fue usted, use el enlace de abajo: bloquearemos la cuenta y nuestro personal se pondrá en contacto con usted.",
        "If this was not you, use the link below: we will lock the account and our staff will contact you.",
    )
    .into()
}

/// The label of the "no fui yo" link.
fn not_me_label(lang: Lang) -> &'static str {
    lang.pick("No fui yo", "It was not me")
}

/// The verification-code mail: the code, until when it works, and a link to
/// the page that asks for one button press (mail scanners open links).
pub fn code_mail(lang: Lang, code: &str, valid_until: &str, link: &str) -> Mail {
    compose(
        lang,
        lang.pick(
            format!("Su código de verificación es {code}"),
            format!("Your verification code is {code}"),
        ),
        &[
            lang.pick(
                format!("Su código de verificación para la clave de servicios en línea es: {code}"),
                format!("Your verification code for your online services password is: {code}"),
            ),
            lang.pick(
                format!("Puede usarlo una sola vez, hasta las {valid_until} (hora de Ecuador)."),
                format!("You can use it once, until {valid_until} (Ecuador time)."),
            ),
            lang.pick(
                "Si usted no pidió este código, no haga nada: su clave no cambia. El Instituto nunca le pedirá este código por teléfono.",
                "If you did not ask for this code, do nothing: your password stays the same. The Institute will never ask you for this code by phone.",
            )
            .into(),
        ],
        Some((
            lang.pick("Usar el código desde este enlace", "Use the code from this link"),
            link,
        )),
    )
}

/// The notice after a clave change, with the "no fui yo" link.
pub fn clave_changed_mail(lang: Lang, when: &str, link: &str) -> Mail {
    compose(
        lang,
        lang.pick(
            "Su clave de servicios en línea cambió",
            "Your online services password has changed",
        )
        .into(),
        &[
            lang.pick(
                format!("La clave de servicios en línea de su cuenta se cambió hoy a las {when} (hora de Ecuador). Por seguridad cerramos todas las sesiones abiertas."),
                format!("The online services password for your account was changed today at {when} (Ecuador time). For your security, we signed you out of every open session."),
            ),
            lang.pick(
                "Si fue usted, no necesita hacer nada.",
                "If this was you, you do not need to do anything.",
            )
            .into(),
            not_you(lang),
        ],
        Some((not_me_label(lang), link)),
    )
}

/// The notice after a first clave was created, with the "no fui yo" link.
pub fn clave_created_mail(lang: Lang, when: &str, link: &str) -> Mail {
    compose(
        lang,
        lang.pick(
            "Se creó su clave de servicios en línea",
            "Your online services password has been created",
        )
        .into(),
        &[
            lang.pick(
                format!("Hoy a las {when} (hora de Ecuador) se creó la clave de servicios en línea de su cuenta y se registró este correo."),
                format!("Today at {when} (Ecuador time), an online services password was created for your account and this e-mail address was registered."),
            ),
            lang.pick(
                "Si fue usted, no necesita hacer nada. Guarde su clave en un lugar seguro.",
                "If this was you, you do not need to do anything. Keep your password somewhere safe.",
            )
            .into(),
            not_you(lang),
        ],
        Some((not_me_label(lang), link)),
    )
}

/// The notice to the old address after the e-mail was replaced (§2.1.1, or a
/// first request that registered another address).
pub fn email_changed_mail(lang: Lang, new_masked: &str, days: i64, link: &str) -> Mail {
    compose(
        lang,
        lang.pick(
            "Cambió el correo de su cuenta de servicios en línea",
            "The e-mail address for your online services account has changed",
        )
        .into(),
        &[
            lang.pick(
                format!("El correo registrado en su cuenta se cambió a {new_masked} en un trámite de clave de servicios en línea."),
                format!("The e-mail address registered to your account was changed to {new_masked} during an online services password request."),
            ),
            lang.pick(
                format!("Si no fue usted, use el enlace de abajo en los próximos {days} días: volveremos a poner este correo, bloquearemos la cuenta y nuestro personal se pondrá en contacto con usted."),
                format!("If this was not you, use the link below within the next {days} days: we will put this e-mail address back, lock the account and our staff will contact you."),
            ),
        ],
        Some((not_me_label(lang), link)),
    )
}

/// Writes a mail to the outbox, with the language it is written in; the
/// worker sends it.
pub async fn enqueue<C: sea_orm::ConnectionTrait>(
    db: &C,
    kind: MailKind,
    to: &str,
    mail: Mail,
    now: i64,
) -> Result<(), DbErr> {
    mail_outbox::Entity::insert(mail_outbox::ActiveModel {
        id: NotSet,
        kind: Set(kind.stored().to_owned()),
        to_address: Set(to.to_owned()),
        subject: Set(mail.subject),
        body_text: Set(mail.text),
        body_html: Set(mail.html),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        sent_at: Set(None),
        delivered_via: Set(None),
        last_error: Set(None),
        lang: Set(mail.lang.code().to_owned()),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Where the worker delivers.
pub enum Transport {
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// The development mailbox: the outbox row itself is the delivered mail.
    DevMailbox,
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, String> {
        use secrecy::ExposeSecret;
        match &settings.smtp_url {
            None => Ok(Transport::DevMailbox),
            Some(url) => {
                let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| format!("CLAVE_SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build();
                let from = settings
                    .mail_from
                    .parse()
                    .map_err(|e| format!("CLAVE_MAIL_FROM: {e}"))?;
                Ok(Transport::Smtp { mailer, from })
            }
        }
    }

    async fn send(&self, row: &mail_outbox::Model, lang: Lang) -> Result<Delivery, String> {
        match self {
            Transport::DevMailbox => Ok(Delivery::DevMailbox),
            Transport::Smtp { mailer, from } => {
                let to: Mailbox = row.to_address.parse().map_err(|e| format!("to: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(row.subject.clone())
                    .raw_header(HeaderValue::new(
                        HeaderName::new_from_ascii_str("Content-Language"),
                        lang.tag().to_owned(),
                    ))
                    .multipart(
                        MultiPart::alternative()
                            .singlepart(
                                SinglePart::builder()
                                    .header(ContentType::TEXT_PLAIN)
                                    .body(row.body_text.clone()),
                            )
                            .singlepart(
                                SinglePart::builder()
                                    .header(ContentType::TEXT_HTML)
                                    .body(row.body_html.clone()),
                            ),
                    )
                    .map_err(|e| format!("message: {e}"))?;
                mailer
                    .send(message)
                    .await
                    .map(|_| Delivery::Smtp)
                    .map_err(|e| format!("smtp: {e}"))
            }
        }
    }
}

/// Seconds before retry number `attempts` (1, 2, …): doubling from 5 s, at most an hour.
pub fn backoff_secs(attempts: i32) -> i64 {
    std::cmp::min(5_i64 << attempts.clamp(0, 20), 3_600)
}

/// How long a worker may hold a claimed row before another may take it.
const CLAIM_SECS: i64 = 120;

/// Delivers the mail that is due; returns how many were sent.
pub async fn deliver_due(
    db: &DatabaseConnection,
    transport: &Transport,
    now: i64,
) -> Result<usize, DbErr> {
    deliver_due_while(db, transport, now, || true).await
}

/// [`deliver_due`], asking `go_on` before each mail: a worker told to stop
/// finishes the mail it is sending and claims no other.
pub async fn deliver_due_while(
    db: &DatabaseConnection,
    transport: &Transport,
    now: i64,
    go_on: impl Fn() -> bool,
) -> Result<usize, DbErr> {
    let free = Condition::any()
        .add(mail_outbox::Column::LockedUntil.is_null())
        .add(mail_outbox::Column::LockedUntil.lt(now));
    let due = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .filter(free.clone())
        .order_by_asc(mail_outbox::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let mut sent = 0;
    for row in due {
        if !go_on() {
            break;
        }
        let claimed = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::LockedUntil,
                Expr::value(now + CLAIM_SECS),
            )
            .filter(mail_outbox::Column::Id.eq(row.id))
            .filter(mail_outbox::Column::SentAt.is_null())
            .filter(free.clone())
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        // The row's language is read before anything is sent: an unknown one
        // is this mail's failure (kept in `last_error`, retried), never Spanish.
        let sent_via = match lang_of(&row) {
            Ok(lang) => transport.send(&row, lang).await,
            Err(e) => Err(e.to_string()),
        };
        match sent_via {
            Ok(via) => {
                let mut update = mail_outbox::Entity::update_many()
                    .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
                    .col_expr(mail_outbox::Column::DeliveredVia, Expr::value(via.stored()))
                    .col_expr(mail_outbox::Column::LockedUntil, Expr::value(None::<i64>))
                    .col_expr(
                        mail_outbox::Column::Attempts,
                        Expr::col(mail_outbox::Column::Attempts).add(1),
                    );
                if via == Delivery::Smtp {
                    // Once the mail left, the codes and links in it (the code is
                    // in the subject too) need not stay here, nor the full address.
                    update = update
                        .col_expr(
                            mail_outbox::Column::ToAddress,
                            Expr::value(crate::domain::mask::mask_email(&row.to_address)),
                        )
                        .col_expr(mail_outbox::Column::Subject, Expr::value(""))
                        .col_expr(mail_outbox::Column::BodyText, Expr::value(""))
                        .col_expr(mail_outbox::Column::BodyHtml, Expr::value(""));
                }
                update
                    .filter(mail_outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                telemetry::mail_sent(via.stored());
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(mail = row.id, %error, "mail delivery failed; will retry");
                telemetry::mail_failed();
                mail_outbox::Entity::update_many()
                    .col_expr(
                        mail_outbox::Column::Attempts,
                        Expr::col(mail_outbox::Column::Attempts).add(1),
                    )
                    .col_expr(
                        mail_outbox::Column::NextAttemptAt,
                        Expr::value(now + backoff_secs(row.attempts + 1)),
                    )
                    .col_expr(mail_outbox::Column::LockedUntil, Expr::value(None::<i64>))
                    .col_expr(mail_outbox::Column::LastError, Expr::value(error))
                    .filter(mail_outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// Mails not sent yet, and when the oldest of them was queued.
pub async fn backlog(db: &DatabaseConnection) -> Result<(i64, Option<i64>), DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM mail_outbox WHERE sent_at IS NULL",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("outbox backlog: no row".into()))?;
    Ok((row.try_get("", "n")?, row.try_get("", "oldest")?))
}

/// The newest mails of the development mailbox.
pub async fn dev_mailbox(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<mail_outbox::Model>, DbErr> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::DeliveredVia.eq(Delivery::DevMailbox.stored()))
        .order_by_desc(mail_outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Whether mail to `to` is still waiting to be sent (the page says "sending").
pub async fn pending_for(db: &DatabaseConnection, to: &str) -> Result<bool, DbErr> {
    Ok(mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(to))
        .filter(mail_outbox::Column::SentAt.is_null())
        .one(db)
        .await?
        .is_some())
}
