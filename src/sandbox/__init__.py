"""The Workday sandbox: a local HTTP server that speaks Workday's wire formats and the provider's API.

It plays a customer's Workday tenant (the OAuth2 token endpoint and a RaaS worker report) and the provider
(LumiQ) for the demo and the contract tests; ``population`` generates the data both sides serve.
"""

from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.server import SandboxServer, serve_forever

__all__ = ["Faults", "SandboxConfig", "SandboxServer", "serve_forever"]
