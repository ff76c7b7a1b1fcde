"""matching: rank partners for a need, and needs for an organisation.

Encodes texts into vectors (an offline multilingual model by default), retrieves evidence
through `graph`'s vector and full-text queries, fuses and scores it with graph signals
(distance, earlier cooperation, shared events, trades) and explains every suggestion. Scoring and
fusion are plain functions on plain data.
"""
