"""Workday's Learning web service (SOAP): the client of a tenant's endpoint, the names of every element it sends
or reads, imported content and records (the transcript sink), digital courses (publisher, requests, replies,
catalog), enrollments (registry, requests), and the check of a tenant's WSDL against all of it."""
