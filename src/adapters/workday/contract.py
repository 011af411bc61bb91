"""The whole Workday contract of the connector: every operation, element and ID type it sends or reads, across
the Learning and Talent web services (``learning.contract``, ``talent.contract``). ``wlc workday check`` resolves it
against a tenant's WSDLs, and ``docs/workday-contract.md`` is generated from it."""

from __future__ import annotations

from adapters.workday.learning.contract import LEARNING
from adapters.workday.soap.declaration import Declaration
from adapters.workday.talent.contract import TALENT

CONTRACT: Declaration = LEARNING + TALENT
