"""``/ccx/service/{tenant}/Talent/v{N}``: Workday's Talent web service, as far as the connector uses it
(``Get_Skills``), over the project's Talent WSDL."""

from __future__ import annotations

from sandbox.workday.soap.endpoint import SoapService
from sandbox.workday.soap.service_wsdl import ServiceWsdl
from sandbox.workday.talent.operations import OPERATIONS, talent_context

TALENT_WSDL = ServiceWsdl("sandbox.workday.talent.wsdl", "Talent.wsdl")
TALENT = SoapService("Talent", TALENT_WSDL, OPERATIONS, talent_context)
