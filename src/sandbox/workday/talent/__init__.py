"""Workday's Talent web service: it will serve the tenant's skills (``Get_Skills``)."""
