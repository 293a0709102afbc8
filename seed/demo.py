"""Demo data: employers in Flanders and Brussels across care, technology, logistics, hospitality,
construction and a bakery. Offers and profiles use official ESCO v1.1.1 occupations and skills.

Idempotent: ``seed_demo`` does nothing when the demo employer exists already. Every demo account
uses the password ``DEFAULT_PASSWORD`` (printed by ``opstap run --demo``).
"""

from sqlmodel import Session, select

from domain.accounts import Role
from domain.offers import EducationLevel, LanguageRequirement, OfferType
from domain.reference import esco_occupations, esco_skills
from domain.tables import User
from seed.builders import make_candidate, make_employer, make_log_entry, make_offer, make_user, screen

DEMO_EMPLOYER = "employer@demo.opstap.be"

EMPLOYERS = [
    dict(email=DEMO_EMPLOYER, name="Els Peeters", organisation="WZC De Linde", sector="Q", postcode="9000",
         languages=("nl",), statement="Our residential care centre welcomes newcomers with a care background."),
    dict(email="hr@zorgnet-noord.demo.opstap.be", name="Karim Benali", organisation="Zorgnet Brussel-Noord",
         sector="Q", postcode="1030", languages=("nl", "fr"),
         statement="Bilingual home care in Schaerbeek and Evere; mentors trained in culturally sensitive care."),
    dict(email="jobs@datalaan.demo.opstap.be", name="Sofie Janssens", organisation="Datalaan", sector="J",
         postcode="2000", languages=("nl", "en"), statement="Software for the port of Antwerp; English is our work language."),
    dict(email="people@kanaal.demo.opstap.be", name="Tom De Smet", organisation="Kanaal Logistics", sector="H",
         postcode="1800", languages=("nl", "fr", "en"), statement="Warehousing along the canal; we train forklift drivers ourselves."),
    dict(email="hotel@terschelde.demo.opstap.be", name="Nadia El Amrani", organisation="Hotel Ter Schelde",
         sector="I", postcode="2000", languages=("nl", "en", "fr"), statement="A 90-room hotel that hires from its kitchen and front desk trainees."),
    dict(email="team@studio-leuven.demo.opstap.be", name="Pieter Claes", organisation="Studio Leuven", sector="J",
         postcode="3000", languages=("en", "nl"), statement="A small product studio; one day a week traineeships welcome."),
    dict(email="werf@bouwgroep-dijle.demo.opstap.be", name="Bram Wouters", organisation="Bouwgroep Dijle", sector="F",
         postcode="2800", languages=("nl", "fr"), statement="Renovation sites around Mechelen; our foremen coach newcomers on site."),
    dict(email="bakkerij@gouden-aar.demo.opstap.be", name="Sarah Vandamme", organisation="Bakkerij De Gouden Aar",
         sector="C", postcode="8500", languages=("nl", "fr"),
         statement="A craft bakery in Kortrijk: bread at four in the morning, pastry by noon."),
]

OFFERS = [
    (0, dict(title="Zorgkundige in opleiding", occupation="healthcare assistant", type=OfferType.WORK_BASED_TRAINING, duration_value=16,
             followup_contract_months=None, followup_open_ended=True, postcode="9000", sector="Q",
             days_per_week=4, hours_per_week=30, places=2, education_min=EducationLevel.SECONDARY,
             languages=[LanguageRequirement("nl", "B1")],
             skill_labels=["apply nursing care in long-term care", "tend to elderly people", "hygiene in a health care setting", "assist with dressing", "communicate in healthcare"])),
    (0, dict(title="Kennismakingsstage woonzorg", occupation="care at home worker", type=OfferType.GETTING_TO_KNOW, duration_value=5,
             postcode="9000", sector="Q", days_per_week=5, hours_per_week=30, places=3,
             education_min=EducationLevel.NONE, languages=[LanguageRequirement("nl", "A2")],
             skill_labels=["tend to elderly people", "empathise with the healthcare user", "communicate in healthcare"])),
    (1, dict(title="Verpleegkundige – betaalde stage / Infirmier·ère – stage rémunéré", occupation="nurse responsible for general care",
             type=OfferType.PAID_TRAINEESHIP, duration_value=12, monthly_pay_eur=1900, postcode="1030", sector="Q",
             days_per_week=4, hours_per_week=32, places=2, education_min=EducationLevel.BACHELOR,
             languages=[LanguageRequirement("fr", "B1"), LanguageRequirement("nl", "A2")],
             skill_labels=["nursing science", "administer prescribed medication", "monitor basic patients signs", "infection control"])),
    (1, dict(title="Culturally sensitive care ambassador (one day a week)", occupation="social work assistant", type=OfferType.PAID_TRAINEESHIP,
             duration_value=26, monthly_pay_eur=450, postcode="1030", sector="Q", days_per_week=1, hours_per_week=8,
             places=4, education_min=EducationLevel.BACHELOR, languages=[LanguageRequirement("fr", "B2")],
             skill_labels=["demonstrate intercultural competence", "listen actively", "apply person-centred care"])),
    (2, dict(title="Junior backend developer (Python)", occupation="software developer", type=OfferType.PAID_TRAINEESHIP, duration_value=20,
             monthly_pay_eur=2100, postcode="2000", sector="J", days_per_week=5, hours_per_week=38, remote_days=2,
             places=1, education_min=EducationLevel.BACHELOR, languages=[LanguageRequirement("en", "B2")],
             skill_labels=["Python (computer programming)", "SQL", "database", "work in teams"])),
    (2, dict(title="Data analyst traineeship", occupation="data analyst", type=OfferType.WORK_BASED_TRAINING, duration_value=12,
             followup_contract_months=12, postcode="2000", sector="J", days_per_week=5, hours_per_week=38,
             places=1, education_min=EducationLevel.MASTER, languages=[LanguageRequirement("en", "C1")],
             skill_labels=["statistics", "SQL", "use spreadsheets software"])),
    (3, dict(title="Magazijnmedewerker met heftruckopleiding", occupation="forklift operator", type=OfferType.WORK_BASED_TRAINING, duration_value=8,
             followup_contract_months=6, postcode="1800", sector="H", days_per_week=5, hours_per_week=38,
             places=3, education_min=EducationLevel.NONE, languages=[LanguageRequirement("nl", "A2")],
             skill_labels=["operate forklift", "warehouse operations", "pick orders for dispatching", "stack goods", "receive goods"])),
    (3, dict(title="Planner transport – kennismaking", occupation="transport planner", type=OfferType.GETTING_TO_KNOW, duration_value=10,
             postcode="1800", sector="H", days_per_week=5, hours_per_week=38, places=1,
             education_min=EducationLevel.BACHELOR, languages=[LanguageRequirement("nl", "B1"), LanguageRequirement("en", "B1")],
             skill_labels=["work in a logistics team", "operate warehouse record systems", "manage time", "use microsoft office"])),
    (4, dict(title="Commis de cuisine / keukenhulp", occupation="kitchen assistant", type=OfferType.PAID_TRAINEESHIP, duration_value=8,
             monthly_pay_eur=1600, postcode="2000", sector="I", days_per_week=5, hours_per_week=36, places=2,
             education_min=EducationLevel.NONE, languages=[LanguageRequirement("nl", "A2")],
             skill_labels=["comply with food safety and hygiene", "use cooking techniques", "wash the dishes", "food storage"])),
    (4, dict(title="Front desk trainee", occupation="receptionist", type=OfferType.GETTING_TO_KNOW, duration_value=10, postcode="2000",
             sector="I", days_per_week=5, hours_per_week=38, places=1, education_min=EducationLevel.SECONDARY,
             languages=[LanguageRequirement("en", "B2"), LanguageRequirement("nl", "A2")],
             skill_labels=["greet guests", "process reservations", "customer service", "answer incoming calls", "handle customer complaints"])),
    (5, dict(title="UX research trainee, one day a week", occupation="user experience analyst", type=OfferType.PAID_TRAINEESHIP, duration_value=24,
             monthly_pay_eur=500, postcode="3000", sector="J", days_per_week=1, hours_per_week=8, remote_days=0,
             places=1, education_min=EducationLevel.MASTER, languages=[LanguageRequirement("en", "B2")],
             skill_labels=["conduct research interview", "design user interface", "design process", "listen actively"])),
    (6, dict(title="Metselaar in opleiding / maçon en formation", occupation="bricklayer",
             type=OfferType.WORK_BASED_TRAINING, duration_value=20, followup_contract_months=None,
             followup_open_ended=True, postcode="2800", sector="F", days_per_week=5, hours_per_week=38, places=2,
             education_min=EducationLevel.NONE, languages=[LanguageRequirement("nl", "A2")],
             skill_labels=["lay bricks", "mix construction grouts", "follow health and safety procedures in construction",
                           "use measurement instruments", "interpret 2D plans", "work ergonomically"])),
    (7, dict(title="Bakkersgast – kennismaking in het bakatelier", occupation="baker", type=OfferType.GETTING_TO_KNOW,
             duration_value=10, postcode="8500", sector="C", days_per_week=5, hours_per_week=38, places=1,
             education_min=EducationLevel.NONE, languages=[LanguageRequirement("nl", "A2")],
             skill_labels=["bake goods", "mould doughs", "tend bakery ovens", "apply HACCP", "bakery ingredients"])),
    (7, dict(title="Ouvrier boulanger – stage rémunéré / bakker betaalde stage", occupation="baker",
             type=OfferType.PAID_TRAINEESHIP, duration_value=12, monthly_pay_eur=1700, postcode="8500", sector="C",
             days_per_week=4, hours_per_week=32, places=1, education_min=EducationLevel.SECONDARY,
             languages=[LanguageRequirement("fr", "B1"), LanguageRequirement("nl", "A2")],
             skill_labels=["prepare bakery products", "bake goods", "food safety principles", "ensure sanitation",
                           "store raw food materials"])),
]


CANDIDATES = [
    # (given name, family name, nationality, postcode, education, field, languages, skill labels (English), commute km)
    ("Amina", "Rahimi", "AF", "9000", "bachelor", "Nursing", [("nl", "B1"), ("en", "B2")], ["apply nursing care in long-term care", "nursing science", "hygiene in a health care setting", "transfer patients"], 25),
    ("Yonas", "Tesfaye", "ER", "9040", "secondary", "", [("nl", "A2")], ["tend to elderly people", "assist with dressing", "maintain personal hygiene standards"], 15),
    ("Olena", "Kovalenko", "UA", "1030", "master", "Nursing science", [("fr", "B2"), ("en", "C1"), ("nl", "A2")], ["nursing science", "administer prescribed medication", "monitor basic patients signs", "infection control"], 20),
    ("Samir", "Haddad", "SY", "2000", "bachelor", "Computer science", [("en", "C1"), ("nl", "A2")], ["Python (computer programming)", "SQL", "database", "work in teams"], 40),
    ("Leila", "Karimi", "IR", "3000", "master", "Human-computer interaction", [("en", "C1"), ("nl", "B1")], ["conduct research interview", "design user interface", "design process", "listen actively"], 30),
    ("Jean-Paul", "Mbala", "CD", "1800", "bachelor", "Logistics", [("fr", "C2"), ("nl", "B1")], ["work in a logistics team", "manage inventory", "monitor stock level", "use microsoft office"], 35),
    ("Ahmad", "Noori", "AF", "1800", "secondary", "", [("nl", "A2"), ("en", "A2")], ["operate forklift", "stack goods", "load cargo", "receive goods"], 20),
    ("Fatma", "Yildiz", "TR", "2000", "bachelor", "Hospitality", [("en", "B2"), ("nl", "A2")], ["greet guests", "process reservations", "customer service", "serve food in table service"], 25),
    ("Carlos", "Mendoza", "VE", "2000", "master", "Statistics", [("en", "C1"), ("fr", "B1")], ["statistics", "SQL", "use spreadsheets software"], 40),
    ("Hiba", "El Idrissi", "MA", "1030", "bachelor", "Social work", [("fr", "C2"), ("nl", "B1")], ["demonstrate intercultural competence", "listen actively", "apply person-centred care"], 15),
    ("Dawit", "Bekele", "ET", "2000", "secondary", "Cooking", [("nl", "A2"), ("en", "B1")], ["comply with food safety and hygiene", "use cooking techniques", "wash the dishes", "food storage"], 20),
    ("Nour", "Al-Hassan", "SY", "9000", "master", "Medicine", [("nl", "B2"), ("en", "C1")], ["nursing science", "follow clinical guidelines", "monitor basic patients signs", "administer prescribed medication", "support nurses"], 50),
    ("Mehmet", "Aydin", "TR", "2800", "secondary", "Construction", [("nl", "A2"), ("fr", "A2")], ["lay bricks", "mix construction grouts", "use measurement instruments", "work ergonomically"], 30),
    ("Rania", "Saleh", "SY", "8500", "secondary", "Bakery", [("fr", "B1"), ("nl", "A2")], ["bake goods", "mould doughs", "prepare bakery products", "apply HACCP"], 25),
    # Care candidates around Gent with differing Dutch levels, so the care offer's match list can be filtered
    # ("nl B2") and compared.
    ("Mariam", "Qasimi", "AF", "9050", "secondary", "Care", [("nl", "B2"), ("fa", "C2")], ["tend to elderly people", "assist with dressing", "hygiene in a health care setting"], 20),
    ("Tigist", "Alemu", "ET", "9000", "bachelor", "Nursing", [("nl", "C1"), ("en", "B2")], ["apply nursing care in long-term care", "communicate in healthcare", "tend to elderly people"], 25),
    ("Oksana", "Melnyk", "UA", "9000", "secondary", "", [("nl", "B1"), ("uk", "C2")], ["assist with dressing", "tend to elderly people"], 15),
]


def _skills_for(labels: list[str]) -> list[tuple[str, bool]]:
    """The official ESCO skills with these English preferred labels; the first three are essential."""
    by_label = {skill.labels["en"]: skill.uri for skill in esco_skills().values()}
    return [(by_label[label], position < 3) for position, label in enumerate(labels)]  # KeyError: not ESCO's


def _occupation(label: str) -> str:
    """The official ESCO occupation with this English preferred label."""
    return next(o.uri for o in esco_occupations().values() if o.labels["en"] == label)


def seed_demo(session: Session, links=None) -> bool:
    """``links`` signs the links in the demo's e-mails (the app's secret and address); tests may leave it out."""
    if session.exec(select(User.id).where(User.email == DEMO_EMPLOYER)).first() is not None:
        return False
    employers = [make_employer(session, **employer) for employer in EMPLOYERS]
    for index, (employer, offer) in enumerate(OFFERS):
        offer = dict(offer)
        skills = _skills_for(offer.pop("skill_labels"))
        occupation = _occupation(offer.pop("occupation"))
        make_offer(session, employers[employer], publish=index % 5 != 4, skills=skills, occupation_uri=occupation,
                   **offer)
    coach = make_user(session, role=Role.COACH, email="coach@demo.opstap.be",
                      organisation="Trajectbegeleiding Gent", name="Hanne Wouters")
    created = {}
    for given, family, nationality, postcode, education, study, languages, words, commute in CANDIDATES:
        slug = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
        created[given] = make_candidate(
            session, coach,
            identity=dict(given_name=given, family_name=family, email=f"{slug}@mail.demo.opstap.be",
                          nationality=nationality, country_of_origin=nationality,
                          address=f"Demostraat {len(given)}, {postcode}"),
            skills=[uri for uri, _ in _skills_for(words)], education_level=education, education_field=study,
            languages=languages, postcode=postcode, max_commute_km=commute,
            summary=f"{given} worked {len(words) + 2} years in {study or 'the field'} before coming to Belgium.",
        )
    # Level@work screenings (two eligible, one not: a secondary-school diploma) and a coaching log.
    screen(session, coach, created["Amina"].id, path="career")
    screen(session, coach, created["Olena"].id, path="learning")
    screen(session, coach, created["Yonas"].id, path="career")
    make_log_entry(session, coach, created["Amina"].id, kind="intake", days_ago=21,
                   note="Intake: nursing bachelor from Kabul, recognition requested at NARIC. Wants to work in elderly care.")
    make_log_entry(session, coach, created["Amina"].id, kind="individual_session", days_ago=7,
                   note="Practised a job interview in Dutch; screened eligible for Level@work (career path).")
    seed_interest_and_placements(session, coach, created, links)
    make_user(session, role=Role.NETWORK, email="network@demo.opstap.be", organisation="Zorgfederatie Vlaanderen",
              name="Luc Verstraete")
    make_user(session, role=Role.ADMIN, email="admin@demo.opstap.be", name="Opstap admin")
    return True


def seed_interest_and_placements(session: Session, coach, created: dict, links=None) -> None:
    """Interest requests in each state, and two placements: one going well with a trained mentor and
    check-ins, one the coach's dashboard flags (no check-in for three weeks). Dates are moved back after
    the services wrote them, so the demo looks like weeks of use. Amina and Yonas log in with the demo password."""
    from datetime import timedelta

    from domain.placement import CheckInInput, Rating
    from domain.services.interest import decline_interest
    from domain.services.placements import mentor_check_in, nominate_mentor, record_check_in, start_placement
    from domain.services.portal import set_candidate_password
    from domain.tables import CheckIn, InterestRequest, Mentor, Offer, Placement, utcnow
    from seed.builders import (
        DEFAULT_PASSWORD,
        accept,
        builder_links,
        candidate_login,
        make_interest,
        mentor_input,
    )

    links = links or builder_links()
    offers = {o.title: o for o in session.exec(select(Offer)).all()}
    owners = {u.organisation_id: u for u in session.exec(select(User).where(User.role == Role.EMPLOYER)).all()}

    def employer_of(title):
        from domain.services.accounts import actor_by_id
        return actor_by_id(session, owners[offers[title].organisation_id].id)

    def interest(title, given, message):
        sent = make_interest(session, employer_of(title), offers[title].id, created[given].ref, message=message,
                             links=links)
        return sent.id, candidate_login(session, created[given].id)

    def age(request_id, days):
        row = session.get(InterestRequest, request_id)
        row.created_at -= timedelta(days=days)
        row.expires_at -= timedelta(days=days)
        if row.decided_at:
            row.decided_at -= timedelta(days=days - 2 if days > 2 else 0)
        session.add(row)

    def backdate(placement_id, agreed_days_ago, started_days_ago):
        placement = session.get(Placement, placement_id)
        placement.created_at = utcnow() - timedelta(days=agreed_days_ago)
        placement.started_at = utcnow() - timedelta(days=started_days_ago)
        session.add(placement)

    coach_actor = coach
    today = utcnow().date()
    # Amina: accepted at WZC De Linde; mentor trained; coach and mentor checked in.
    zorg = "Zorgkundige in opleiding"
    request_id, amina = interest(zorg, "Amina", "Ons team van de afdeling Linde kijkt ernaar uit je te ontmoeten.")
    set_candidate_password(session, amina, DEFAULT_PASSWORD)
    placement_id = accept(session, amina, request_id, links).placement_id
    age(request_id, 30)
    employer = employer_of(zorg)
    mentor_id = nominate_mentor(session, employer, placement_id, mentor_input(
        name="Ilse Maes", role="Hoofdverpleegkundige", email="ilse.maes@delinde.demo.opstap.be", languages=["nl", "fr"],
        training_completed=True, training_completed_on=today - timedelta(days=120)), links=links)
    start_placement(session, employer, placement_id)
    backdate(placement_id, 25, 21)
    record_check_in(session, coach_actor, placement_id, CheckInInput(today - timedelta(days=12), Rating.GOOD,
                    "Amina feels welcome; the morning routine is clear. Dutch at work improves fast."), links=links)
    mentor_token = links.mentor_link(mentor_id, session.get(Mentor, mentor_id).link_nonce).rsplit("/", 1)[1]
    mentor_check_in(session, mentor_token, CheckInInput(today - timedelta(days=3), Rating.ATTENTION,
                    "Good with residents; documentation in Dutch takes her long."), links=links)

    # Hiba: accepted the care ambassador traineeship; started three weeks ago, nobody checked in since.
    ambassador = "Culturally sensitive care ambassador (one day a week)"
    request_id, hiba = interest(ambassador, "Hiba", "")
    placement_id = accept(session, hiba, request_id, links).placement_id
    age(request_id, 28)
    employer = employer_of(ambassador)
    nominate_mentor(session, employer, placement_id, mentor_input(
        name="Karim Benali", role="Coördinator thuiszorg", email="karim.benali@zorgnet.demo.opstap.be",
        languages=["fr", "nl", "ar"], training_completed=False, training_completed_on=None), links=links)
    start_placement(session, employer, placement_id)
    backdate(placement_id, 26, 22)

    # Open requests (Yonas can log in and answer), and a polite "no".
    request_id, yonas = interest("Kennismakingsstage woonzorg", "Yonas", "Kom een week meedraaien in ons woonzorgcentrum.")
    set_candidate_password(session, yonas, DEFAULT_PASSWORD)
    age(request_id, 2)
    interest("Verpleegkundige – betaalde stage / Infirmier·ère – stage rémunéré", "Olena", "")
    request_id, carlos = interest("Data analyst traineeship", "Carlos", "")
    decline_interest(session, carlos, request_id, "other_offer", "I start at a bank in Antwerp next month.", links=links)
    age(request_id, 6)
    session.flush()
    assert session.exec(select(CheckIn)).first() is not None
