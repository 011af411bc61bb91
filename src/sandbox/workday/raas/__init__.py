"""The worker report as Report-as-a-Service: the endpoint, the formats it writes and the XSD it serves."""
