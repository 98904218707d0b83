"""Signals experts sends for others to follow, so experts need not know who listens."""

from django.dispatch import Signal

# Sent inside the transaction of a merge or its undo, once records (claims, affiliations, name
# variants) have moved between experts by bulk updates, which send no model signals.
# `expert_ids`: the experts that received records. A receiver that derives data from an
# expert's records (claims' search index does) rewrites it in the same transaction.
expert_records_moved = Signal()
