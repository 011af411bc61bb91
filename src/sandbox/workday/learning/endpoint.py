"""``/ccx/service/{tenant}/Learning/v{N}``: Workday's Learning web service, over the project's Learning WSDL (as
the sandbox's WSDL variant changes it)."""

from __future__ import annotations

from sandbox.workday.learning import course_operations, enrollment_operations, operations
from sandbox.workday.learning.operations import LearningContext
from sandbox.workday.soap.endpoint import Call, SoapService


def _context(call: Call) -> LearningContext:
    state = call.state
    return LearningContext(
        config=state.config,
        store=state.learning.tenant(call.tenant),
        now=call.now,
        version=call.version,
        courses=state.courses.tenant(call.tenant),
        enrollments=state.enrollments.tenant(call.tenant),
    )


OPERATIONS = {**operations.OPERATIONS, **course_operations.OPERATIONS, **enrollment_operations.OPERATIONS}
LEARNING = SoapService("Learning", OPERATIONS, _context)
