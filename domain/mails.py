"""The e-mails Opstap sends, as data: subject and body per kind, with ``str.format`` placeholders.

Pure: no I/O. Texts are marked with ``N_`` so they are translated like every other text; each mail is
rendered in its recipient's language (``queue_mail``). No e-mail to an employer or a
coach carries a candidate's identity: they name the candidate by reference only.
"""

from collections.abc import Callable

from domain.validation import N_

SIGNATURE = N_("Opstap — traineeships and work for newcomers")

MAILS: dict[str, tuple[str, str]] = {
    "interest_to_candidate": (
        N_("{employer} would like to meet you"),
        N_("Hello {given_name},\n\n{employer} read your anonymous profile and would like to meet you for "
           "“{offer}”.\n\nRead what they offer and answer them on your Opstap page. Nobody sees your name "
           "unless you accept.\n\n{link}\n\nThis link logs you in once and works for {hours} hours; after that "
           "you can ask for a new one on the login page. The request stays open until {expires}.\n"),
    ),
    "interest_to_coach": (
        N_("Interest request for {ref}"),
        N_("Hello,\n\n{employer} sent an interest request to your candidate {ref} for “{offer}”. "
           "The candidate has been told and answers in their own portal.\n\n{link}\n"),
    ),
    "accepted_to_employer": (
        N_("{ref} accepted your interest"),
        N_("Hello,\n\nGood news: candidate {ref} accepted your interest for “{offer}”. Their name and contact "
           "details are on the placement page, for you only. Please nominate a workplace mentor there.\n\n{link}\n"),
    ),
    "declined_to_employer": (
        N_("About your interest in {ref}"),
        N_("Hello,\n\nThank you for your interest in candidate {ref} for “{offer}”. They will not take it up "
           "this time. That says nothing about your offer or your organisation: timing, distance and "
           "personal circumstances often decide. Their coach may add some feedback.\n\nKeep going: other "
           "candidates are waiting for a chance like this one.\n\n{link}\n"),
    ),
    "feedback_to_employer": (
        N_("Feedback from the coach of {ref}"),
        N_("Hello,\n\nThe coach of candidate {ref} added feedback about “{offer}”:\n\n{feedback}\n\n{link}\n"),
    ),
    "mentor_nominated": (
        N_("You are the workplace mentor for “{offer}”"),
        N_("Hello {mentor},\n\n{employer} nominated you as the workplace mentor of a newcomer on “{offer}”. "
           "Thank you for taking this on.\n\nEvery week or two, record how it goes (good, needs attention, "
           "concern) with a short note. The job coach reads it and can step in early. You need no account: "
           "this link is yours and works until {expires}.\n\n{link}\n\nPlease do not forward it.\n"),
    ),
    "concern_to_coach": (
        N_("Concern on the placement of {ref}"),
        N_("Hello,\n\nThe workplace mentor recorded a concern on the placement of {ref} (“{offer}”). "
           "Please get in touch soon.\n\n{link}\n"),
    ),
    "invitation": (
        N_("{inviter} invites you to Opstap for {organisation}"),
        N_("Hello,\n\n{inviter} invites you to join {organisation} on Opstap, the marketplace for traineeships and "
           "work for newcomers.\n\nChoose your name and password here:\n\n{link}\n\nThe invitation works until "
           "{expires}. Did you not expect it? Then you can ignore this e-mail.\n"),
    ),
    "meeting_proposed": (
        N_("{employer} proposes a first meeting"),
        N_("Hello,\n\n{employer} would like to meet you about “{offer}” and proposes these moments "
           "(Brussels time):\n\n{moments}\n\nPick the one that suits you on your Opstap page:\n\n{link}\n"),
    ),
    "meeting_scheduled": (
        N_("First meeting: {when}, “{offer}”"),
        N_("Hello,\n\nThe first meeting about “{offer}” with {employer} is on {when} (Brussels time), at:\n\n"
           "{address}\n\nThe calendar invitation is attached. Changes and cancellations reach you the same way.\n\n"
           "{link}\n"),
    ),
    "meeting_cancelled": (
        N_("Cancelled: first meeting on {when}, “{offer}”"),
        N_("Hello,\n\nThe first meeting about “{offer}” with {employer} on {when} is cancelled. The attachment "
           "removes it from your calendar.\n\n{link}\n"),
    ),
    "login_link": (
        N_("Your Opstap login link"),
        N_("Hello,\n\nHere is your link to log in to Opstap. It works once, for {hours} hours.\n\n{link}\n\n"
           "Did you not ask for it? Then you can ignore this e-mail.\n"),
    ),
    "password_reset": (
        N_("Choose a new Opstap password"),
        N_("Hello,\n\nSomeone asked to choose a new password for your Opstap account. If it was you, choose it "
           "here. The link works once, for {hours} hour(s).\n\n{link}\n\nDid you not ask for it? Then you can "
           "ignore this e-mail: your password stays as it is.\n"),
    ),
    "still_looking": (
        N_("Still looking for a traineeship or work?"),
        N_("Hello,\n\nAre you still looking for a traineeship or work through Opstap? One click answers:\n\n"
           "Yes, I am still looking:\n{yes}\n\nNo, not any more (your profile is paused; you can resume it "
           "at any time):\n{no}\n\nWithout an answer within {days} days, employers no longer find your "
           "profile until you resume it on your Opstap page.\n"),
    ),
    "offer_confirm": (
        N_("Is “{offer}” still open?"),
        N_("Hello,\n\nYour offer “{offer}” has not been confirmed or changed for a while. Is it still open? "
           "Confirm it on its page within {days} days; otherwise it is paused, so candidates do not wait for an "
           "offer that is gone.\n\n{link}\n"),
    ),
    "offer_paused": (
        N_("“{offer}” is paused"),
        N_("Hello,\n\nYour offer “{offer}” was not confirmed, so it is paused: candidates no longer find it. "
           "Is it still open? Publish it again on its page.\n\n{link}\n"),
    ),
}


def compose(kind: str, gettext: Callable[[str], str] = lambda s: s, **params) -> tuple[str, str]:
    """(subject, body) of the e-mail ``kind``, in the language of ``gettext``."""
    subject, body = MAILS[kind]
    return gettext(subject).format(**params), gettext(body).format(**params) + "\n-- \n" + gettext(SIGNATURE) + "\n"
