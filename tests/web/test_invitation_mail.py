"""An employer invites a colleague by e-mail address: the invitation goes out through the mail outbox, in the
inviter's language (the invitee has no language yet), and the link still shows on the page."""

from sqlmodel import select

from domain.services.accounts import choose_language
from domain.tables import OutgoingMail
from tests.web.test_invitations import LINK_RE, invite_through_the_page


def test_the_invitation_is_e_mailed_with_the_same_link(employer_client, session):
    response = invite_through_the_page(employer_client, "Colleague@Example.be")
    assert "We e-mailed an invitation to colleague@example.be." in response.text
    link = LINK_RE.search(response.text).group(1)
    [mail] = session.exec(select(OutgoingMail).where(OutgoingMail.recipient == "colleague@example.be")).all()
    assert mail.kind == "invitation" and mail.subject.endswith("invites you to Opstap for Ziekenhuis Oost")
    assert link in mail.body


def test_the_invitation_is_written_in_the_inviters_language(employer_client, employer, session):
    choose_language(session, employer, "fr")
    session.flush()
    invite_through_the_page(employer_client, "collegue@example.be")
    [mail] = session.exec(select(OutgoingMail).where(OutgoingMail.recipient == "collegue@example.be")).all()
    assert mail.subject.endswith("vous invite sur Opstap pour Ziekenhuis Oost")
    assert "Choisissez votre nom et votre mot de passe ici" in mail.body


def test_a_broken_address_gets_a_message_and_no_mail(employer_client, session):
    response = invite_through_the_page(employer_client, "not an address")
    assert response.status_code == 422 and "Enter an e-mail address like name@example.be." in response.text
    assert session.exec(select(OutgoingMail).where(OutgoingMail.kind == "invitation")).all() == []
