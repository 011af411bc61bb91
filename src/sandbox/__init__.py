"""The Workday sandbox: a local HTTP server that speaks Workday's wire formats and the provider's API.

It plays a customer's Workday tenant (the OAuth2 token endpoint, a RaaS worker report and the Learning web service
over SOAP, described by the project's own ``wsdl/Learning.wsdl``) and the provider (LumiQ: members and the
completions feed) for the demo and the contract tests; ``population`` and ``completions`` generate the data both
sides serve.
"""

from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.server import SandboxServer, serve_forever

__all__ = ["Faults", "SandboxConfig", "SandboxServer", "serve_forever"]
