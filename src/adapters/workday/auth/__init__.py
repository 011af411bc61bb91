"""How the connector proves itself to Workday: ``tokens`` (the OAuth2 refresh-token grant and where rotated
refresh tokens are kept), the ``httpx`` auth flows that put a token or an ISU's password on a request, and
``credentials`` (an ISU or an API client for integrations). Nothing here imports zeep."""
