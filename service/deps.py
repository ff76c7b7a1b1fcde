"""What routes depend on: the settings, the graph connection and the encoder (loaded once)."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from graph.connection import Graph
from graph.vectors import Encoder
from partnergraph.settings import Settings
from service.release import Scrubbers

_encoder_lock = threading.Lock()


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def graph_of(request: Request) -> Graph:
    return request.app.state.graph_state.graph  # type: ignore[no-any-return]


def encoder_of(request: Request) -> Encoder:
    """The configured encoder, loaded on first use and then shared by all requests."""
    state = request.app.state
    if getattr(state, "encoder", None) is None:
        with _encoder_lock:
            if getattr(state, "encoder", None) is None:
                from matching.encoder import get_encoder

                # one short query per request: one thread (see matching.encoder.load_encoder)
                state.encoder = get_encoder(state.settings.model, threads=1)
    return state.encoder  # type: ignore[no-any-return]


def match_slots(request: Request) -> threading.BoundedSemaphore:
    """How many matches this process computes at once; more requests wait their turn.

    A match is CPU work in this process and in Neo4j. Past a few at once they only take the
    cores from each other (and the GIL), so throughput falls as clients are added; queueing
    keeps it at its best and latency fair.
    """
    return request.app.state.match_slots  # type: ignore[no-any-return]


def scrubbers_of(request: Request) -> Scrubbers:
    """The scrubber of this process over the graph's names (see `service.release`)."""
    return request.app.state.scrubbers  # type: ignore[no-any-return]


# What routes declare, instead of repeating `Depends(...)`: `graph: GraphDep`.
GraphDep = Annotated[Graph, Depends(graph_of)]
EncoderDep = Annotated[Encoder, Depends(encoder_of)]
SettingsDep = Annotated[Settings, Depends(settings_of)]
MatchSlotsDep = Annotated[threading.BoundedSemaphore, Depends(match_slots)]
ScrubbersDep = Annotated[Scrubbers, Depends(scrubbers_of)]
