"""The sample data generator: deterministic, complete, valid against the record models.

No Neo4j: everything here works on rows and files. The network sample is generated once per
module; it takes well under a second.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ingest.records import RECORD_BY_ENTITY
from ingest.reference import load_reference
from sample.generator import (
    AREAS,
    CONTEXTS_DE,
    CONTEXTS_EN,
    ENTITY_COLUMNS,
    FAIRS,
    FIRM_KINDS,
    GROUP_WEIGHT_COMPANY,
    INDUSTRY_WORDS,
    INSTITUTIONS,
    RESEARCH_KINDS,
    SERVICE_WORDS,
    TRADE_WEIGHTS,
    TRADE_WORDS,
    SampleSpec,
    generate,
    write_folder,
    write_scaled,
)
from sample.topics import GROUPS, TOPIC_BY_ID, TOPICS

Dataset = dict[str, list[dict[str, str]]]
NETWORK_AREAS = ("05913", "05911", "05914", "05916", "05954")


@pytest.fixture(scope="module")
def network() -> Dataset:
    return generate(SampleSpec.network(), seed=7)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}


def test_same_seed_gives_identical_files(tmp_path: Path, network: Dataset) -> None:
    first = write_folder(network, tmp_path / "a")
    second = write_folder(generate(SampleSpec.network(), seed=7), tmp_path / "b")
    assert first == second
    assert set(_files(tmp_path / "a")) == {f"{entity}.csv" for entity in ENTITY_COLUMNS}
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    other = write_folder(generate(SampleSpec.network(), seed=8), tmp_path / "c")
    assert other["organizations"] == first["organizations"]
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_streaming_writes_the_same_files(tmp_path: Path) -> None:
    spec = SampleSpec.scaled(1_500, competences_per_org=3)
    write_folder(generate(spec, seed=3), tmp_path / "memory")
    write_scaled(spec, tmp_path / "stream", seed=3)
    assert _files(tmp_path / "memory") == _files(tmp_path / "stream")


def test_files_are_semicolon_utf8_with_canonical_headers(tmp_path: Path, network: Dataset) -> None:
    write_folder(network, tmp_path)
    for entity, columns in ENTITY_COLUMNS.items():
        text = (tmp_path / f"{entity}.csv").read_text(encoding="utf-8")
        assert text.splitlines()[0] == ";".join(columns)
        with (tmp_path / f"{entity}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
        assert rows == network[entity]


def test_network_sample_has_the_promised_size(network: Dataset) -> None:
    kinds = Counter(row["kind"] for row in network["organizations"])
    assert kinds["company"] >= 3000
    assert kinds["craft_business"] >= 300
    assert kinds["service_provider"] >= 150
    assert kinds["institute"] + kinds["research_group"] >= 50
    assert kinds["university"] >= 6
    assert kinds["chamber"] == 4
    assert kinds["agency"] == 5
    craft = [row for row in network["organizations"] if row["kind"] == "craft_business"]
    assert len({row["trades"] for row in craft}) >= 40
    assert all(row["trades"] for row in craft)
    statuses = Counter(row["status"] for row in network["needs"])
    assert statuses["open"] >= 200
    assert len(statuses) == 4
    assert len(network["projects"]) >= 100
    assert len(network["events"]) >= 25
    assert len(network["people"]) >= 200


def test_every_row_validates_with_the_record_models(network: Dataset) -> None:
    context = {"reference": load_reference().lookup()}
    for entity, rows in network.items():
        model = RECORD_BY_ENTITY[entity]
        for row in rows:
            model.model_validate(
                {k: (v if v != "" else None) for k, v in row.items()}, context=context
            )


def test_references_point_at_existing_keys(network: Dataset) -> None:
    orgs = {row["key"] for row in network["organizations"]}
    people = {row["key"] for row in network["people"]}
    projects = {row["key"] for row in network["projects"]}
    events = {row["key"] for row in network["events"]}
    for entity in ENTITY_COLUMNS:
        keys = [row["key"] for row in network[entity] if "key" in row]
        assert len(keys) == len(set(keys)), f"duplicate keys in {entity}"
    assert all(row["parent_key"] in orgs for row in network["organizations"] if row["parent_key"])
    assert all(row["org_key"] in orgs for row in network["people"])
    assert all(row["owner_key"] in orgs | people for row in network["competences"])
    assert all(row["org_key"] in orgs for row in network["needs"])
    for row in network["participations"]:
        assert row["org_key"] in orgs and row["project_key"] in projects
    for row in network["attendances"]:
        assert row["org_key"] in orgs and row["event_key"] in events
    pairs = [(row["org_key"], row["event_key"]) for row in network["attendances"]]
    assert len(pairs) == len(set(pairs))


def test_chairs_hang_under_faculties_and_faculties_under_universities(network: Dataset) -> None:
    by_key = {row["key"]: row for row in network["organizations"]}
    real = [by_key[inst.key] for inst in INSTITUTIONS]
    for row in real:
        if row["kind"] == "research_group":
            assert by_key[row["parent_key"]]["kind"] == "institute"
        if row["kind"] == "institute" and row["parent_key"]:
            assert by_key[row["parent_key"]]["kind"] == "university"
        assert "Beispieldaten" in row["description"]
    assert by_key["uni-tu-dortmund"]["name"] == "Technische Universität Dortmund"
    assert by_key["inst-fraunhofer-iml"]["city"] == "Dortmund"


def test_projects_have_one_coordinator_and_research_partners(network: Dataset) -> None:
    kinds = {row["key"]: row["kind"] for row in network["organizations"]}
    roles: dict[str, Counter[str]] = {}
    members: dict[str, set[str]] = {}
    for row in network["participations"]:
        roles.setdefault(row["project_key"], Counter())[row["role"]] += 1
        members.setdefault(row["project_key"], set()).add(kinds[row["org_key"]])
    assert set(roles) == {row["key"] for row in network["projects"]}
    assert all(counter["coordinator"] == 1 for counter in roles.values())
    assert all(members[key] & {"institute", "research_group", "university"} for key in members)


def test_postcodes_places_and_coordinates(network: Dataset) -> None:
    reference = load_reference()
    orgs = network["organizations"]
    districts: Counter[str] = Counter()
    for row in orgs:
        place = reference.place(row["postcode"], row["city"])
        assert place is not None, row["postcode"]
        assert place.municipality == row["city"]
        districts[place.district_key] += 1
        assert (row["lat"] == "") == (row["lon"] == "")
    in_network = sum(districts[key] for key in NETWORK_AREAS)
    assert in_network / len(orgs) > 0.6
    with_coordinates = sum(1 for row in orgs if row["lat"])
    assert 0.35 < with_coordinates / len(orgs) < 0.65


def test_fictional_organisations_and_people_are_marked(network: Dataset) -> None:
    real = {inst.key for inst in INSTITUTIONS}
    names = []
    for row in network["organizations"]:
        if row["key"] in real:
            assert "(fiktiv)" not in row["name"]
            continue
        assert row["name"].endswith(" (fiktiv)"), row["name"]
        assert row["kind"] in {"company", "craft_business", "service_provider", "research_group"}
        assert "Beispiel" in row["description"]
        assert not row["website"] or row["website"].endswith(".example.com")
        names.append(row["name"])
    assert len(names) == len(set(names))
    for row in network["people"]:
        assert row["email"].endswith(("@example.org", "@example.com")), row["email"]
    emails = [row["email"] for row in network["people"]]
    assert len(emails) == len(set(emails))


def test_needs_carry_their_topic_and_read_like_requests(network: Dataset) -> None:
    competences: dict[str, set[str]] = {}
    for row in network["competences"]:
        competences.setdefault(row["owner_key"], set()).add(row["topic"])
    providers = Counter(row["topic"] for row in network["competences"])
    langs = Counter(row["lang"] for row in network["needs"])
    assert 0.05 < langs["en"] / len(network["needs"]) < 0.2
    assert len({row["visibility"] for row in network["needs"]}) == 3
    for row in network["needs"]:
        assert row["topic"] in TOPIC_BY_ID
        assert row["topic"] not in competences.get(row["org_key"], set())
        assert providers[row["topic"]] >= 2, row["topic"]
        assert "2025-01-01" <= row["created_at"] <= "2026-12-31"


def test_every_topic_is_offered(network: Dataset) -> None:
    offered = Counter(row["topic"] for row in network["competences"])
    assert {topic.id for topic in TOPICS} <= set(offered)
    assert min(offered.values()) >= 3


def test_scaled_sample_has_exact_sizes(tmp_path: Path) -> None:
    spec = SampleSpec.scaled(2_000, competences_per_org=10)
    assert spec.organizations == 2_000
    counts = write_scaled(spec, tmp_path)
    assert counts["organizations"] == 2_000
    assert counts["competences"] == 20_000
    with (tmp_path / "competences.csv").open(encoding="utf-8", newline="") as handle:
        owners = Counter(row["owner_key"] for row in csv.DictReader(handle, delimiter=";"))
    assert set(owners.values()) == {10}
    small = SampleSpec.scaled(300, competences_per_org=2)
    dataset = generate(small)
    assert len(dataset["organizations"]) == 300
    assert len(dataset["competences"]) == 600


def test_topic_catalogue_is_consistent() -> None:
    reference = load_reference()
    trades = {row["code"] for row in reference.trades}
    industries = {row["code"] for row in reference.industries}
    assert 70 <= len(TOPICS) <= 95
    assert len(TOPIC_BY_ID) == len(TOPICS)
    for topic in TOPICS:
        assert len(topic.phrases_de) >= 3 and len(topic.phrases_en) >= 3, topic.id
        assert topic.problems_de and topic.problems_en, topic.id
        assert set(topic.trades) <= trades, topic.id
        assert topic.industries and set(topic.industries) <= industries, topic.id
        assert topic.related and all(r in TOPIC_BY_ID and r != topic.id for r in topic.related)
        assert not topic.trades or "craft_business" in topic.kinds, topic.id


def test_catalogue_files_refer_only_to_known_topics_codes_and_places() -> None:
    """The word material is data (sample/catalogue/*.json) edited without the code: every key
    it uses must be one the generator and the reference tables know."""
    reference = load_reference()
    trades = {row["code"] for row in reference.trades}
    industries = {row["code"] for row in reference.industries}
    districts = {p.district_key for places in reference.postcodes.values() for p in places}
    kinds = {*FIRM_KINDS, *RESEARCH_KINDS, "chamber", "agency"}  # the kinds of organisations
    assert {topic.group for topic in TOPICS} == set(GROUPS)
    assert all(set(topic.kinds) <= kinds for topic in TOPICS)
    for inst in INSTITUTIONS:
        assert inst.kind in kinds and inst.postcode in reference.postcodes, inst.key
        assert inst.topics and set(inst.topics) <= set(TOPIC_BY_ID), inst.key
    assert {key for key, _ in AREAS} <= districts
    assert set(INDUSTRY_WORDS) <= industries
    assert set(TRADE_WORDS) <= trades and set(TRADE_WEIGHTS) <= set(TRADE_WORDS)
    for table in (SERVICE_WORDS, CONTEXTS_DE, CONTEXTS_EN, GROUP_WEIGHT_COMPANY):
        assert set(table) == set(GROUPS)
    assert all(set(groups) <= set(GROUPS) for _, _, groups in FAIRS)
