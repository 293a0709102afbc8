"""An older version of a document can never overwrite a newer one in the index, whatever the interleaving.

The bad interleaving is forced: worker A has built a document from the database and is about to send it when the
record changes and worker B runs. Without per-document serialisation B would send the new version first and A's
stale version would land after it.
"""

from sqlmodel import select

import search.sync as sync
from domain.services.outbox import enqueue
from domain.tables import OutboxEntry, Skill
from search.documents import skill_key


def _rename(session, uri: str, label: str) -> None:
    skill = session.get(Skill, uri)
    skill.labels = {**skill.labels, "en": label}
    session.add(skill)
    enqueue(session, "skills", uri)
    session.flush()


def test_a_slow_worker_never_overwrites_a_newer_version(connection, session, search, monkeypatch):
    skill = session.exec(select(Skill).order_by(Skill.uri).limit(1)).one()
    uri = skill.uri
    _rename(session, uri, "version one")
    real_send = sync._send
    seen: list[str] = []

    def worker_a_send(search_, index, documents, deletions):
        # Worker A built "version one" and is slow to send it. Meanwhile the skill changes and worker B runs.
        seen.extend(d["label_en"] for d in documents)
        monkeypatch.setattr(sync, "_send", real_send)
        _rename(session, uri, "version two")
        assert sync.drain_once(connection, search) == 0  # B must leave the document alone while A holds it
        real_send(search_, index, documents, deletions)

    monkeypatch.setattr(sync, "_send", worker_a_send)
    assert sync.drain_once(connection, search) == 1
    assert seen == ["version one"]
    sync.drain(connection, search)  # B's turn now that A has let go

    document = search.writer.index(search.index_name("skills")).get_document(skill_key(uri))
    assert document.label_en == "version two"
    pending = session.exec(select(OutboxEntry).where(OutboxEntry.done_at == None)).all()  # noqa: E711
    assert pending == []
