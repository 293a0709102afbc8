"""In-app notifications and e-mail.

Every e-mail is an ``OutgoingMail`` row written in the same transaction as its cause. ``deliver_mail``
sends queued rows over SMTP when ``SMTP_URL`` is set (claiming them with a lease, so several app
processes never send one twice) and then empties the body; without SMTP the rows stay readable in the
admin's mailbox. Logs name mails by id only: never an address, a name or a body.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Connection, Engine, update
from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role
from domain.db import session_scope
from domain.language import DEFAULT_LANGUAGE, known_language, translations
from domain.mails import compose
from domain.tables import Candidate, CandidateIdentity, Notification, OutgoingMail, User, utcnow
from domain.validation import NotAllowed, NotFound

log = logging.getLogger("opstap.mail")
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 3600
DEFAULT_SENDER = "Opstap <no-reply@opstap.invalid>"


# --- writing ---------------------------------------------------------------------------------------

def notify(session: Session, user_id: int | None, kind: str, message: str, url: str = "", **params) -> None:
    """An in-app notification; ``message`` is a msgid with ``str.format`` placeholders. Params whose
    name ends in ``_label`` are msgids too, translated when shown."""
    if user_id is not None:
        session.add(Notification(user_id=user_id, kind=kind, message=message, params=params, url=url))


def recipient_language(session: Session, recipient: str) -> str:
    """The language the recipient chose, when they have an account and chose one; else, for a candidate who
    has not chosen yet, the correspondence language their coach recorded; else the default."""
    email = recipient.strip().lower()
    chosen = session.exec(select(User.language).where(User.email == email)).first()
    if known_language(chosen):
        return known_language(chosen)
    recorded = session.exec(select(CandidateIdentity.correspondence_language)
                            .join(Candidate, Candidate.id == CandidateIdentity.candidate_id)
                            .where(func.lower(CandidateIdentity.email) == email,
                                   Candidate.erased_at == None)  # noqa: E711
                            .order_by(Candidate.id.desc())).first()
    return known_language(recorded) or DEFAULT_LANGUAGE


def queue_mail(session: Session, recipient: str, kind: str, *, language: str | None = None, attachment: str = "",
               **params) -> None:
    """An e-mail of ``kind`` (``domain.mails``), sent after the transaction commits, in the recipient's
    language (``language`` for people without an account, e.g. a workplace mentor); ``attachment`` is an
    .ics calendar invitation."""
    if not recipient.strip():
        return
    lang = known_language(language) or recipient_language(session, recipient)
    subject, body = compose(kind, translations(lang).gettext, **params)
    session.add(OutgoingMail(recipient=recipient.strip(), subject=subject, body=body, kind=kind,
                             attachment=attachment))


def user_email(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.email if user is not None and user.is_active else ""


# --- reading: notifications ----------------------------------------------------------------------------

@dataclass(frozen=True)
class NotificationView:
    id: int
    message: str
    params: dict
    url: str
    created_at: datetime
    unread: bool


def notifications_of(session: Session, actor: Actor, limit: int = 100) -> list[NotificationView]:
    """The actor's notifications, newest first; reading them marks them read."""
    rows = session.exec(select(Notification).where(Notification.user_id == actor.id)
                        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)).all()
    views = [NotificationView(n.id, n.message, dict(n.params), n.url, n.created_at, n.read_at is None) for n in rows]
    session.execute(update(Notification).where(Notification.user_id == actor.id, Notification.read_at == None)  # noqa: E711
                    .values(read_at=utcnow()))
    return views


def unread_count(session: Session, actor: Actor) -> int:
    return session.exec(select(func.count()).select_from(Notification)
                        .where(Notification.user_id == actor.id, Notification.read_at == None)).one()  # noqa: E711


# --- reading: the admin's mailbox -----------------------------------------------------------------------

@dataclass(frozen=True)
class MailView:
    id: int
    recipient: str
    subject: str
    body: str
    kind: str
    status: str
    created_at: datetime
    sent_at: datetime | None


def _admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise NotAllowed()


def _view(m: OutgoingMail) -> MailView:
    return MailView(m.id, m.recipient, m.subject, m.body, m.kind, m.status, m.created_at, m.sent_at)


def mailbox(session: Session, actor: Actor, limit: int = 200) -> list[MailView]:
    _admin(actor)
    rows = session.exec(select(OutgoingMail).order_by(col(OutgoingMail.id).desc()).limit(limit)).all()
    return [_view(m) for m in rows]


def mail_detail(session: Session, actor: Actor, mail_id: int) -> MailView:
    _admin(actor)
    row = session.get(OutgoingMail, mail_id)
    if row is None:
        raise NotFound()
    return _view(row)


# --- delivery -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the start
    starttls: bool
    username: str | None
    password: str | None
    sender: str


def smtp_target(url: str) -> SmtpTarget:
    """``smtp://[user:password@]host[:port][?starttls=1&from=...]`` or ``smtps://...``."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
    query = parse_qs(parts.query)
    tls = parts.scheme == "smtps"
    return SmtpTarget(parts.hostname, parts.port or (465 if tls else 25), tls, query.get("starttls", ["0"])[0] == "1",
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None,
                      query.get("from", [DEFAULT_SENDER])[0])


def _claim(bind, limit: int) -> list[int]:
    with session_scope(bind) as session:
        now = utcnow()
        rows = session.exec(select(OutgoingMail)
                            .where(OutgoingMail.status == "queued", OutgoingMail.next_attempt_at <= now)
                            .order_by(OutgoingMail.id).limit(limit).with_for_update(skip_locked=True)).all()
        for row in rows:
            row.next_attempt_at = now + LEASE
            session.add(row)
        return [row.id for row in rows]


def _message(row: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(domain="opstap.invalid")
    message.set_content(row.body)
    if row.attachment:
        method = "CANCEL" if "METHOD:CANCEL" in row.attachment else "REQUEST"
        message.add_attachment(row.attachment.encode(), maintype="text", subtype="calendar",
                               filename="invitation.ics", params={"method": method})
    return message


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    if target.tls:
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=30, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=30)
        if target.starttls:
            smtp.starttls(context=ssl.create_default_context())
    if target.username:
        smtp.login(target.username, target.password or "")
    return smtp


def deliver_mail(bind: Engine | Connection, smtp_url: str | None, limit: int = 50) -> int:
    """Deliver one batch of queued mail; returns how many were delivered (to SMTP or to the mailbox)."""
    ids = _claim(bind, limit)
    if not ids:
        return 0
    if not smtp_url:
        with session_scope(bind) as session:
            session.execute(update(OutgoingMail).where(col(OutgoingMail.id).in_(ids))
                            .values(status="mailbox", sent_at=utcnow()))
        return len(ids)
    target = smtp_target(smtp_url)
    delivered = 0
    try:
        smtp = _connect(target)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail server unreachable (%s); %d mails wait", type(error).__name__, len(ids))
        _failed(bind, ids, error)
        return 0
    try:
        for mail_id in ids:
            with session_scope(bind) as session:
                row = session.get(OutgoingMail, mail_id)
                message = _message(row, target.sender)
            try:
                smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as error:
                log.warning("mail %d not sent (%s); will retry", mail_id, type(error).__name__)
                _failed(bind, [mail_id], error)
                continue
            with session_scope(bind) as session:
                session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id)
                                .values(status="sent", sent_at=utcnow(), body="", attachment="", last_error=""))
            log.info("mail %d sent", mail_id)
            delivered += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return delivered


def _failed(bind, ids: list[int], error: Exception) -> None:
    with session_scope(bind) as session:
        now = utcnow()
        for row in session.exec(select(OutgoingMail).where(col(OutgoingMail.id).in_(ids))).all():
            row.attempts += 1
            row.last_error = type(error).__name__  # the exception text may hold the address
            row.next_attempt_at = now + timedelta(seconds=min(30 * 2 ** row.attempts, MAX_BACKOFF_SECONDS))
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            session.add(row)
