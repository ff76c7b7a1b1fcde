"""sample: the deterministic sample network in the canonical input format.

Owns everything that makes up data nobody has to hand over: the demo network `make run` loads,
the network the matching evaluation's judged set (data/eval) is written against, and the scaled
folders of the benchmarks (`partnergraph generate`).

- `topics.py`: the topic catalogue (what organisations offer and need, in both wordings: the
  provider's technical terms and the customer's symptoms). The judged set refers to its ids.
- `generator.py`: organisations, people, competences, needs, projects and events from a
  `SampleSpec` and a seed; same spec and seed, byte-identical files.
- `catalogue/`: the word material both draw on (topics, the real institutions of the region,
  names, places, sentence templates) as data files, so that it can be reviewed and extended
  without reading the generator. Read with `importlib.resources`, shipped as package data.

It writes files only; loading them is `ingest`'s job like for any other folder. It depends on
`ingest` for the canonical column order and the reference tables (postcodes, trades,
industries), and nothing but the CLI, the tests, the benchmarks and the evaluation's tooling
depend on it.
"""
