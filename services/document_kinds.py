"""Every kind of document on the engine, registered: import this before asking the engine about all of
them (batch undo asks which tables hold documents; a reversal finds the document it reverses)."""
from . import documents, fleet, fuel_month, transfers, write_off  # noqa: F401  (each registers its kind on import)

KINDS = documents.KINDS
