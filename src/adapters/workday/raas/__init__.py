"""The customer's worker report, read from Workday Report-as-a-Service (RaaS): ``directory`` (the
``WorkerDirectory``), its URL, its rows in JSON or XML, the columns they hold and the aliases its XSD declares.
Nothing here imports zeep."""

from adapters.workday.raas.columns import ReportColumns
from adapters.workday.raas.directory import REPORT_TIMEOUT, RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat

__all__ = ["REPORT_TIMEOUT", "RaasWorkerDirectory", "ReportColumns", "ReportFormat"]
