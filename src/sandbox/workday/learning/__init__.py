"""Workday's Learning web service: the endpoint, its WSDL (``wsdl/Learning.wsdl``) and schema, the operations it
serves, and what the tenant holds (imported learning; courses, topics and skills; enrollments)."""
