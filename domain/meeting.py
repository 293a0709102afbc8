"""The first meeting after a candidate accepted (SPEC §5): the employer proposes up to three time slots, the
candidate picks one, both get a calendar invitation (.ics); changes and cancellations send updates. Pure."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from domain.validation import N_, Violation, required

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_SLOTS = 3
MEETING_MINUTES = 60
ADDRESS_MAX = 500
PRODID = "-//Opstap//First meeting//EN"


class MeetingState:
    PROPOSED = "proposed"  # slots proposed, the candidate has not picked one (yet, or again)
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


def local_time(raw: str) -> datetime | None:
    """A ``datetime-local`` form value, read as Brussels time; None when it is not one."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=BRUSSELS) if value.tzinfo is None else value.astimezone(BRUSSELS)


def slot_violations(raw_slots: list[str], address: str, now: datetime) -> tuple[list[datetime], list[Violation]]:
    """The proposed slots (1 to 3, in the future, different) and the address, or what is wrong with them."""
    typed = [raw for raw in raw_slots if raw.strip()]
    slots = [local_time(raw) for raw in typed]
    broken = []
    if not typed:
        broken.append(Violation("slots", N_("Propose at least one moment.")))
    elif len(typed) > MAX_SLOTS:
        broken.append(Violation("slots", N_("Propose at most {max} moments."), {"max": MAX_SLOTS}))
    elif any(slot is None for slot in slots):
        broken.append(Violation("slots", N_("Give each moment as a date and a time.")))
    elif any(slot <= now for slot in slots):
        broken.append(Violation("slots", N_("Every moment must be in the future.")))
    elif len(set(slots)) != len(slots):
        broken.append(Violation("slots", N_("Propose different moments.")))
    if not address.strip():
        broken.append(required("address"))
    elif len(address) > ADDRESS_MAX:
        broken.append(Violation("address", N_("Keep the address to {max} characters at most."), {"max": ADDRESS_MAX}))
    return ([s for s in slots if s is not None] if not broken else []), broken


@dataclass(frozen=True)
class Invite:
    """One recipient's calendar invitation for the meeting (same UID for both; SEQUENCE counts the changes)."""

    uid: str
    sequence: int
    start: datetime
    summary: str
    location: str
    description: str
    recipient: str
    cancelled: bool = False


def ics(invite: Invite, organiser: str, stamp: datetime) -> str:
    """The .ics text: METHOD:REQUEST to invite or update, METHOD:CANCEL to cancel."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    start = invite.start.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=MEETING_MINUTES))
    event.add("summary", invite.summary)
    event.add("location", invite.location)
    event.add("description", invite.description)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    event["organizer"] = vCalAddress(f"mailto:{organiser}")
    event["organizer"].params["cn"] = vText("Opstap")
    attendee = vCalAddress(f"mailto:{invite.recipient}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode()
