"""``/ccx/service/{tenant}/Talent/v{N}``: Workday's Talent web service, as far as the connector uses it
(``Get_Skills``), over the project's Talent WSDL (as the sandbox's WSDL variant changes it)."""

from __future__ import annotations

from sandbox.workday.soap.endpoint import SoapService
from sandbox.workday.talent.operations import OPERATIONS, talent_context

TALENT = SoapService("Talent", OPERATIONS, talent_context)
