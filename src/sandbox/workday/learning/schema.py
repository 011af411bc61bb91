"""The project's Learning WSDL, package data: what the sandbox serves (changed by its WSDL variant) and validates
Learning requests against (``sandbox.workday.soap.served_wsdl``)."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def learning_wsdl() -> bytes:
    return resources.files("sandbox.workday.learning.wsdl").joinpath("Learning.wsdl").read_bytes()
