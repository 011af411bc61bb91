"""zeep's settings for every Workday WSDL and reply the adapters parse."""

from __future__ import annotations

import zeep

HARDENED_SETTINGS = zeep.Settings(
    strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True, xml_huge_tree=False
)
"""No DTDs, no entities, no fetches a WSDL or reply asks for, no huge trees."""
