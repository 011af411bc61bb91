"""Workday's Talent web service (SOAP): it will hold the skills a tenant lists (``Get_Skills``), which courses
reference by WID."""
