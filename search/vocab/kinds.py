"""The kinds of item ingest finds in a report and recurrence groups (``--kind``)."""
from __future__ import annotations

__all__ = ["ITEM_KINDS"]

ITEM_KINDS = ("recommendation", "learning", "finding", "priority", "objective", "action", "risk")
