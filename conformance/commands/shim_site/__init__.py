"""The directory ``h11spec shim`` puts first on ``PYTHONPATH``: its ``sitecustomize`` installs strict-h11."""
