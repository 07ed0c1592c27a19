"""Real data in: templates, validation with row-level problems, atomic publish, batches.

``import_bytes`` keeps an upload, validates it (every problem at once, see
:mod:`~metrics.importing.problems`) and publishes it as one new snapshot; ``batches.history``
and ``batches.rollback`` list and undo imports; ``templates`` writes the files to fill in;
``gazetteer`` creates a real database from a village gazetteer.
"""

from metrics.importing.batches import history, rollback
from metrics.importing.layouts import KINDS, LAYOUTS
from metrics.importing.pipeline import ImportResult, check, import_bytes, publish_upload
from metrics.importing.problems import CATALOGUE, Problem, report_bytes, to_frame, write_report

__all__ = [
    "CATALOGUE",
    "KINDS",
    "LAYOUTS",
    "ImportResult",
    "Problem",
    "check",
    "history",
    "import_bytes",
    "publish_upload",
    "report_bytes",
    "rollback",
    "to_frame",
    "write_report",
]
