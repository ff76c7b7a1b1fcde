"""graph: everything that touches Neo4j.

- `model`: the node labels, their keys and the relationship types (the one definition);
  `MODEL.md` draws it.
- `connection`: the official driver, and `Graph`, through which every query runs; driver errors
  become `GraphUnavailable` / `GraphAuthError` there.
- `schema`: constraints and indexes, created idempotently, with a schema version in the graph.
- `stats`, `admin` and the other query modules: named, parameterised Cypher queries, one function
  each. Other packages call these functions and never write Cypher themselves.
- `server` and `launcher/`: the local Neo4j Community server (jars from Maven Central, a tiny Java
  launcher), used unless `NEO4J_URI` names another server.
"""
