"""The EIB export's one error.

EibWriteError     the workbook could not be written to its path (missing directory, no permission, disk full);
                  nothing is left at the path when it is raised, not even part of a workbook
"""

from __future__ import annotations


class EibWriteError(Exception):
    """Raised by ``write_eib_workbook`` when the file cannot be written; names the path and the cause."""
