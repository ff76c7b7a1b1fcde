"""service: the HTTP API and the web pages (FastAPI under uvicorn).

`app.create_app(settings)` builds the application; `problems` maps the typed errors of
`partnergraph.errors` to HTTP problem responses (RFC 9457, application/problem+json) in one place.
The service reads and writes the graph only through `graph`'s query functions and ranks through
`matching`.
"""
