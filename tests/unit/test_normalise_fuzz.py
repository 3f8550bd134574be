"""Real records with random parts replaced by random JSON: the normalisers, the store's
codec and the assessment take whatever they get. A value of the wrong type is a warning
on the dataset, never an exception."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlens.assess.assessment import assess_dataset
from govlens.model import Dataset
from govlens.normalise import ckan, datajson
from govlens.normalise import values as v
from govlens.store import codec

Path_ = tuple[str | int, ...]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def paths(obj: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path into a JSON value, the value itself first."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from paths(v, (*prefix, i))


def replaced(obj: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(obj)
    cur = out
    for step in path[:-1]:
        cur = cur[step]
    cur[path[-1]] = value
    return out


@st.composite
def mutated(draw: st.DrawFn, pool: list[Any]) -> Any:
    """A record of ``pool`` with one to three of its parts (or itself) replaced."""
    rec = draw(st.sampled_from(pool))
    for _ in range(draw(st.integers(1, 3))):
        rec = replaced(rec, draw(st.sampled_from(list(paths(rec)))), draw(json_values))
    return rec


def through(normalise: Callable[..., Dataset], rec: Any) -> None:
    raw = json.dumps(rec).encode()
    if not isinstance(rec, dict):
        return  # the harvesters hand the normalisers objects only (tests/unit/test_harvest_* check the rest)
    ds = normalise(rec, raw=raw)
    assert ds.identifier
    assert codec.decode_record(codec.encode_record(ds)).identifier == ds.identifier
    assess_dataset(ds)


@pytest.fixture(scope="module")
def ckan_records(shared_data: Path) -> list[Any]:
    folder = shared_data / "ar-ckan-archivo" / "datos_argentina" / "metadata"
    return [json.loads(p.read_bytes()) for p in sorted(folder.glob("*.json"))[:40]]


@pytest.fixture(scope="module")
def datajson_records(shared_data: Path) -> list[Any]:
    out = []
    for name in ("cms.json", "fcc.json", "gsa.json"):
        out += json.loads((shared_data / "us-agency-datajson" / name).read_bytes())["dataset"][:15]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_ckan_normaliser_takes_any_mutation_of_real_records(ckan_records: list[Any], data: st.DataObject) -> None:
    through(lambda rec, raw: ckan.normalise(rec, raw=raw), data.draw(mutated(ckan_records)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_datajson_normaliser_takes_any_mutation_of_real_records(datajson_records: list[Any],
                                                                data: st.DataObject) -> None:
    through(lambda rec, raw: datajson.normalise(rec, raw=raw), data.draw(mutated(datajson_records)))


def value_types(ds: Dataset) -> set[str]:
    return {w.path for w in ds.warnings if w.code == "value-type"}


@pytest.mark.parametrize("bad", [{"es": "texto", "en": "text"}, ["a", "list"]])
@pytest.mark.parametrize("field", ["id", "name", "title", "notes", "license_url"])
def test_ckan_a_text_field_it_reads_flags_a_list_or_an_object(ckan_records: list[Any], field: str, bad: Any) -> None:
    rec = next(r for r in ckan_records if r.get("resources") and r.get("tags"))
    assert value_types(ckan.normalise(rec)) == set()
    ds = ckan.normalise(replaced(rec, (field,), bad))
    [w] = [w for w in ds.warnings if w.code == "value-type"]
    assert (w.path, w.value) == (field, json.dumps(bad, separators=(",", ":"), ensure_ascii=False))
    assert w.message == f"expected text or number, found {'an object' if isinstance(bad, dict) else 'a list'}"


@pytest.mark.parametrize("field", ["resources", "tags", "groups", "extras", "organization"])
def test_ckan_a_list_or_object_field_of_another_type_is_flagged(ckan_records: list[Any], field: str) -> None:
    rec = next(r for r in ckan_records if r.get("resources") and r.get("tags"))
    ds = ckan.normalise(replaced(rec, (field,), 42))
    assert value_types(ds) == {field}


def test_ckan_items_that_are_no_objects_are_flagged(ckan_records: list[Any]) -> None:
    rec = next(r for r in ckan_records if r.get("resources") and r.get("tags"))
    rec = replaced(rec, ("resources",), [*rec["resources"], "http://x/a.csv", None])
    rec = replaced(rec, ("tags",), [*rec["tags"], ["nested"]])
    rec = replaced(rec, ("groups",), ["economia"])
    n, t = len(rec["resources"]), len(rec["tags"])
    ds = ckan.normalise(rec)
    assert value_types(ds) == {f"resources[{n - 2}]", f"resources[{n - 1}]", f"tags[{t - 1}]", "groups[0]"}
    assert len(ds.distributions) == n - 2


@pytest.mark.parametrize("field", ["id", "url", "name", "description", "format", "mimetype"])
def test_ckan_a_resource_field_of_a_type_it_cannot_hold_is_flagged(ckan_records: list[Any], field: str) -> None:
    rec = next(r for r in ckan_records if len(r.get("resources") or []) >= 2)
    ds = ckan.normalise(replaced(rec, ("resources", 1, field), {"es": "texto", "en": "text"}))
    assert value_types(ds) == {f"resources[1].{field}"}
    assert len(ds.distributions) == len(rec["resources"])  # the distribution stays, the value is flagged


def test_ckan_a_field_it_does_not_read_is_left_alone(ckan_records: list[Any]) -> None:
    rec = next(r for r in ckan_records if v.text(r.get("maintainer")) and r.get("resources"))
    assert value_types(ckan.normalise(replaced(rec, ("author",), {"x": 1}))) == set()


@pytest.mark.parametrize("field", ["identifier", "title", "description", "modified", "license", "accessLevel",
                                   "publisher", "distribution", "keyword"])
def test_datajson_a_field_of_a_type_it_cannot_hold_is_flagged(datajson_records: list[Any], field: str) -> None:
    rec = next(r for r in datajson_records if r.get("distribution") and r.get("modified") and r.get("license"))
    assert value_types(datajson.normalise(rec)) == set()
    bad: Any = 42 if field in ("publisher", "distribution") else {"x": {"y": 1}}
    assert value_types(datajson.normalise(replaced(rec, (field,), bad))) == {field}


def test_datajson_items_that_are_no_objects_or_text_are_flagged(datajson_records: list[Any]) -> None:
    rec = next(r for r in datajson_records if r.get("distribution"))
    n = len(rec["distribution"])
    rec = replaced(rec, ("distribution",), [*rec["distribution"], "http://x/a.csv"])
    rec = replaced(rec, ("keyword",), ["salud", {"label": "x"}])
    assert value_types(datajson.normalise(rec)) == {f"distribution[{n}]", "keyword[1]"}


def names_missing(ds: Dataset) -> dict[str, str]:
    return {w.path: w.message for w in ds.warnings if w.code == "name-missing"}


def test_ckan_a_tag_or_group_object_with_no_name_is_flagged_not_dropped_in_silence(ckan_records: list[Any]) -> None:
    rec = next(r for r in ckan_records if r.get("tags"))
    assert names_missing(ckan.normalise(rec)) == {}
    t = len(rec["tags"])
    rec = replaced(rec, ("tags",), [*rec["tags"], {"id": "3f1c", "state": "active"}, {"display_name": "", "name": ""},
                                    {"display_name": "Salud"}])
    rec = replaced(rec, ("groups",), [{"title": "Economía"}, {"name": "salud"}])
    # groups are the themes when no theme or superTheme is declared
    rec = {k: v for k, v in rec.items() if k not in ("theme", "superTheme")}
    rec["extras"] = [e for e in rec.get("extras") or [] if e.get("key") not in ("theme", "superTheme")]
    ds = ckan.normalise(rec)
    assert names_missing(ds) == {f"tags[{t}]": "a tag object with no name or display_name",
                                 f"tags[{t + 1}]": "a tag object with no name or display_name",
                                 "groups[0]": "a group object with no name"}
    assert "Salud" in ds.keywords and ds.themes == ("salud",)
    [w] = [w for w in ds.warnings if w.path == "groups[0]"]
    assert w.value == '{"title":"Economía"}'


def test_datajson_a_theme_object_with_no_id_or_label_is_flagged(datajson_records: list[Any]) -> None:
    rec = next(r for r in datajson_records if r.get("distribution"))
    rec = replaced(rec, ("theme",), [{"id": "ECON"}, {"description": "x"}, "SALU"])
    rec = replaced(rec, ("superTheme",), [{"label": ""}])
    ds = datajson.normalise(rec)
    assert names_missing(ds) == {"theme[1]": "a theme object with no id or label",
                                 "superTheme[0]": "a theme object with no id or label"}
    assert ds.themes == ("ECON", "SALU")


def test_unicode_text_replaces_lone_surrogates_and_joins_pairs() -> None:
    clean = "Presupuesto público 2024"
    assert v.unicode_text(clean) is clean
    assert v.unicode_text("a\ud800b\udc00c\ud83d\ude00") == "a\ufffdb\ufffdc\U0001f600"
