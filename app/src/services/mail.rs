//! Mail: Spanish (or English) bodies, the database outbox and its delivery.
//!
//! A request only writes a row to the outbox, so its timing never depends on
//! SMTP; the worker delivers rows with retries and back-off, and an SMTP outage
//! delays mail without losing any. Several instances may run workers: a row is
//! claimed with a conditional update before it is sent.

use super::{telemetry, Settings};
use crate::domain::stored::{Delivery, MailKind, Stored};
use entity::mail_outbox;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// The language of a mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Es,
    En,
}

/// A rendered mail: subject, plain text and HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
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
fn compose(subject: String, paragraphs: &[String], link: Option<(&str, &str)>) -> Mail {
    let mut text = paragraphs.join("\n\n");
    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family:Arial,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c\">",
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
        subject,
        text,
        html,
    }
}

/// The verification-code mail: the code, until when it works, and a link to
/// the page that asks for one button press (mail scanners open links).
pub fn code_mail(locale: Locale, code: &str, valid_until: &str, link: &str) -> Mail {
    match locale {
        Locale::Es => compose(
            format!("Su código de verificación es {code}"),
            &[
                format!("Su código de verificación para la clave de servicios en línea es: {code}"),
                format!("Puede usarlo una sola vez, hasta las {valid_until} (hora de Ecuador)."),
                "Si usted no pidió este código, no haga nada: su clave no cambia. El Instituto nunca le pedirá este código por teléfono.".into(),
            ],
            Some(("Usar el código desde este enlace", link)),
        ),
        Locale::En => compose(
            format!("Your verification code is {code}"),
            &[
                format!("Your verification code for your online-services password is: {code}"),
                format!("It works once, until {valid_until} (Ecuador time)."),
                "If you did not ask for this code, do nothing: your password stays the same. The Institute will never ask you for this code by phone.".into(),
            ],
            Some(("Use the code from this link", link)),
        ),
    }
}

/// The notice after a clave change, with the "no fui yo" link.
pub fn clave_changed_mail(locale: Locale, when: &str, link: &str) -> Mail {
    match locale {
        Locale::Es => compose(
            "Su clave de servicios en línea cambió".into(),
            &[
                format!("La clave de servicios en línea de su cuenta se cambió hoy a las {when} (hora de Ecuador). Por seguridad cerramos todas las sesiones abiertas."),
                "Si fue usted, no necesita hacer nada.".into(),
                "Si no fue usted, use el enlace de abajo: bloquearemos la cuenta y nuestro personal se pondrá en contacto con usted.".into(),
            ],
            Some(("No fui yo", link)),
        ),
        Locale::En => compose(
            "Your online-services password changed".into(),
            &[
                format!("The online-services password of your account was changed today at {when} (Ecuador time). For your safety we signed out every open session."),
                "If it was you, there is nothing to do.".into(),
                "If it was not you, use the link below: we will lock the account and our staff will contact you.".into(),
            ],
            Some(("It was not me", link)),
        ),
    }
}

/// The notice after a first clave was created, with the "no fui yo" link.
pub fn clave_created_mail(locale: Locale, when: &str, link: &str) -> Mail {
    match locale {
        Locale::Es => compose(
            "Se creó su clave de servicios en línea".into(),
            &[
                format!("Hoy a las {when} (hora de Ecuador) se creó la clave de servicios en línea de su cuenta y se registró este correo."),
                "Si fue usted, no necesita hacer nada. Guarde su clave en un lugar seguro.".into(),
                "Si no fue usted, use el enlace de abajo: bloquearemos la cuenta y nuestro personal se pondrá en contacto con usted.".into(),
            ],
            Some(("No fui yo", link)),
        ),
        Locale::En => compose(
            "Your online-services password was created".into(),
            &[
                format!("Today at {when} (Ecuador time) the online-services password of your account was created and this address was registered."),
                "If it was you, there is nothing to do. Keep your password somewhere safe.".into(),
                "If it was not you, use the link below: we will lock the account and our staff will contact you.".into(),
            ],
            Some(("It was not me", link)),
        ),
    }
}

/// The notice to the old address after the e-mail was replaced (§2.1.1, or a
/// first request that registered another address).
pub fn email_changed_mail(locale: Locale, new_masked: &str, days: i64, link: &str) -> Mail {
    match locale {
        Locale::Es => compose(
            "Cambió el correo de su cuenta de servicios en línea".into(),
            &[
                format!("El correo registrado en su cuenta se cambió a {new_masked} en un trámite de clave de servicios en línea."),
                format!("Si no fue usted, use el enlace de abajo en los próximos {days} días: volveremos a poner este correo, bloquearemos la cuenta y nuestro personal se pondrá en contacto con usted."),
            ],
            Some(("No fui yo", link)),
        ),
        Locale::En => compose(
            "The e-mail address of your online-services account changed".into(),
            &[
                format!("The e-mail address of your account was changed to {new_masked} while an online-services password was requested or recovered."),
                format!("If it was not you, use the link below within {days} days: we will restore this address, lock the account and our staff will contact you."),
            ],
            Some(("It was not me", link)),
        ),
    }
}

/// Writes a mail to the outbox; the worker sends it.
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

    async fn send(&self, row: &mail_outbox::Model) -> Result<Delivery, String> {
        match self {
            Transport::DevMailbox => Ok(Delivery::DevMailbox),
            Transport::Smtp { mailer, from } => {
                let to: Mailbox = row.to_address.parse().map_err(|e| format!("to: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(row.subject.clone())
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
        match transport.send(&row).await {
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
