"""The customer's worker report, read from Workday Report-as-a-Service (RaaS): ``directory`` (the
``WorkerDirectory``), its URL, its rows in JSON or XML, the columns they hold and the aliases its XSD declares.
Nothing here imports zeep."""
