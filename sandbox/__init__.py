"""exam-sandbox: the sandbox (this package), its clients (``exam_sandbox.client``).

Kept empty of imports: the client package lives inside this one and must not pull the
sandbox in (tests/clients/test_client_http.py).
"""
