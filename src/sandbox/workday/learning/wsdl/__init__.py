"""The project's own Learning WSDL (package data, read with ``importlib.resources``)."""
