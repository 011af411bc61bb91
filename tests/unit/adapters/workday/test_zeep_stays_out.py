"""zeep is for the SOAP services only: the worker report, authentication and the REST catalog load without it, so
a RaaS read (and the CLI's start) does not pay for it. Each import runs in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest


def zeep_loaded_by(module: str) -> bool:
    probe = f"import sys, {module}; print('zeep' in sys.modules)"
    answer = subprocess.run(  # noqa: S603 - our own interpreter importing our own module
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return answer.stdout.strip() == "True"


@pytest.mark.parametrize(
    "module", ["adapters.workday", "adapters.workday.raas", "adapters.workday.auth", "adapters.workday.rest"]
)
def test_importing_a_package_that_speaks_no_soap_leaves_zeep_unloaded(module: str) -> None:
    assert not zeep_loaded_by(module)


def test_importing_the_learning_package_loads_zeep() -> None:
    assert zeep_loaded_by("adapters.workday.learning")
