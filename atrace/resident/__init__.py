"""The resident server: a pre-imported tracer that a thin client hands each
run to, so that `atrace CMD` starts in tens of milliseconds instead of the
half second Python takes to import trio and atrace (docs/INTERNALS.md,
"The resident server").

client.py runs in the `atrace` process and imports only light stdlib;
server.py is the long-lived process; worker.py is the per-run fork of it.
"""
