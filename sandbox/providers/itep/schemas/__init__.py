"""iTEP's wire format as marshmallow schemas: they document the requests (and so the
OpenAPI contract) and serialise the answers."""
