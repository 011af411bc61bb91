"""The Workday adapters, one subpackage per Workday service; import from the subpackages, not from here.

- ``auth``: OAuth2 (the refresh-token grant, the tokens kept and refreshed) and the ``httpx`` auth flows that put a
  bearer token or an ISU's password on requests, and the credentials a tenant is configured with. No zeep.
- ``raas``: the customer's worker report over Report-as-a-Service (JSON and XML rows, columns, its XSD). No zeep.
- ``soap``: what every Workday SOAP service shares: zeep over ``httpx``, Workday's faults as typed errors, paging
  of Get operations, writes as results.
- ``learning``: the Learning web service (imported learning, digital courses, topics, enrollments), the WSDL
  check.
- ``talent``: the Talent web service.
- ``rest``: the Learning REST API's catalog.

Shared by them: ``errors`` (every error the Workday adapters raise), ``rate_limiter`` (a tenant's request
budget) and ``retries`` (which Workday failures are retried).
"""
