"""Contributions: coordinators keep the base current, with provenance and review.

- :mod:`graph.contrib.accounts` — local accounts, roles (reader, contributor, editor), sessions;
- :mod:`graph.contrib.proposals` — a proposed change, checked against the model, queued;
- :mod:`graph.contrib.review` — accept (as proposed or amended) or reject, one guarded unit of writes;
- :mod:`graph.contrib.history` — a node's accepted changes, and the revert of one.
"""
