"""The sandbox's Workday tenant, one subpackage per service: ``oauth`` (the token endpoint and the tokens it
issued), ``raas`` (the worker report), ``soap`` (what its SOAP services share: envelopes, faults, authentication,
references, paging), ``learning`` (the Learning web service and what it holds), ``talent`` (the Talent web
service) and ``rest`` (the Learning REST API); ``tenants`` keeps one store per tenant."""
