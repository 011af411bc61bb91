"""One RaaS read, in this process: streamed through the real adapter into validated Workers, or the naive way
(the whole body in memory, parsed at once). Prints JSON: rows, seconds, peak RSS."""

from __future__ import annotations

import json
import sys
import time

import httpx
from pydantic import SecretStr

from adapters.workday.auth.flows import isu_basic_auth
from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat
from bench.support import peak_rss_mb
from domain.workers import parse_worker


def main(base: str, fmt: str, way: str) -> None:
    url = f"{base}/ccx/service/customreport2/acme/lmsintegration/LumiQ_Workers"
    auth = isu_basic_auth("ISU_LumiQ", SecretStr("wlc-sandbox-isu-password"))
    started = time.monotonic()
    with httpx.Client(timeout=httpx.Timeout(600)) as client:
        if way == "streamed":
            directory = RaasWorkerDirectory(client, url, auth=auth, report_format=ReportFormat(fmt))
            rows = sum(1 for _ in directory.entries())
        else:
            body = client.get(url, params={"format": "json"}, auth=auth).json()
            rows = sum(1 for n, row in enumerate(body["Report_Entry"], 1) if parse_worker(n, row) is not None)
    print(json.dumps({"rows": rows, "seconds": time.monotonic() - started, "peak_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
