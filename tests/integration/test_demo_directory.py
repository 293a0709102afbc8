"""The demo's sector network member finds every demo employer in the directory."""

from sqlmodel import select

from domain.services.accounts import actor_by_id
from domain.services.engagement import directory_rows
from domain.tables import User, utcnow
from search.directory import DirectoryQuery, directory_ids, search_directory
from search.sync import drain
from seed.demo import EMPLOYERS, seed_demo


def test_every_demo_employer_is_in_the_directory(session, connection, search):
    seed_demo(session)
    session.flush()
    drain(connection, search)
    network = actor_by_id(session, session.exec(select(User.id).where(User.email == "network@demo.opstap.be")).one())
    assert network.role == "network"

    listed = directory_rows(session, network, directory_ids(search, DirectoryQuery(), utcnow()))
    assert sorted(row.profile.name for row in listed) == sorted(e["organisation"] for e in EMPLOYERS)
    care_in_brussels = search_directory(search, DirectoryQuery.parse(sectors=["Q"], areas=["brussels"]), utcnow())
    assert [e.name for e in care_in_brussels.entries] == ["Zorgnet Brussel-Noord"]
