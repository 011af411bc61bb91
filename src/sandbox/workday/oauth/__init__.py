"""Workday's OAuth2 token endpoint and the tenant's API client, refresh tokens and access tokens."""
