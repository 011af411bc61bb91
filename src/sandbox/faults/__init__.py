"""What the sandbox does to make the connector's life hard: the faults injected on purpose (``injected``), the
middleware that injects them and counts requests, and the per-tenant rate limit."""

from sandbox.faults.injected import Faults, Side, SoapFaultKind

__all__ = ["Faults", "Side", "SoapFaultKind"]
