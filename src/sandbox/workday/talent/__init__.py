"""Workday's Talent web service, as far as the connector uses it: the tenant's skill items (``Get_Skills``)."""
