"""ingest: turn files into graph rows.

Reads the canonical folder (CSV, XLSX, JSONL) and real-world exports (CORDIS, ROR, OpenAlex),
validates every row into typed records, reports problems as file:line:field, and hands whole,
valid batches to `graph`'s write queries. It never writes Cypher itself.
"""
