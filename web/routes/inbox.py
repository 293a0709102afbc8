"""Notifications for everyone signed in; the outgoing-mail mailbox for admins."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.services.notifications import mail_detail, mailbox, notifications_of
from web.auth import current_actor, requires
from web.db import call
from web.templating import render


@requires()
async def notifications(request: Request):
    actor = await current_actor(request)
    return render(request, "inbox/notifications.html", {"items": await call(request, notifications_of, actor)})


@requires(Role.ADMIN)
async def admin_mailbox(request: Request):
    actor = await current_actor(request)
    return render(request, "inbox/mailbox.html", {"mails": await call(request, mailbox, actor)})


@requires(Role.ADMIN)
async def admin_mail(request: Request):
    actor = await current_actor(request)
    return render(request, "inbox/mail.html", {"mail": await call(request, mail_detail, actor, request.path_params["id"])})


routes = [
    Route("/notifications", notifications, name="notifications"),
    Route("/admin/mailbox", admin_mailbox, name="admin_mailbox"),
    Route("/admin/mailbox/{id:id}", admin_mail, name="admin_mail"),
]
