"""partnergraph: the application shell.

Holds what every package shares and nothing else: the one settings object (`settings`), the
typed errors (`errors`) and the command line (`cli`), which wires the packages together:

    ingest -> graph <- matching <- service

`graph` owns Neo4j (schema, every Cypher query, the local server); `ingest` turns files into
rows for `graph`; `matching` ranks partners from what `graph` returns; `service` is the HTTP API
and the web pages.
"""

__version__ = "0.1.0"
