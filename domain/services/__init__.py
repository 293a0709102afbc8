"""Use cases: take a session, the actor and plain values; apply the pure rules; write; return read-models."""
