"""The normalisers' faster constructors build the same objects as the model's classes."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from govlens.model import ContactPoint, Dataset, Distribution, Publisher, SourceRecord, Temporal
from govlens.normalise._build import builder
from govlens.store import codec


def test_built_objects_equal_the_class_built_ones_with_defaults_and_with_every_field() -> None:
    build = builder(Distribution)
    assert build("d1") == Distribution("d1")
    full: dict[str, Any] = {"id": "d2", "title": "t", "description": "x", "access_urls": ("https://a.example/x",),
            "download_urls": ("https://a.example/y.csv",), "format": "CSV", "format_raw": "csv",
            "media_type": "text/csv", "licence": "cc-by", "rights": "r", "byte_size": 12,
            "issued": "2020", "modified": "2021-01", "conforms_to": ("c",), "kind": "k",
            "language": ("es",)}
    made, ref = build(**full), Distribution(**full)
    assert type(made) is Distribution and made == ref and hash(made) == hash(ref)
    assert dataclasses.asdict(made) == dataclasses.asdict(ref)
    assert pickle.loads(pickle.dumps(made)) == ref
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        build()  # the required field is still required
    with pytest.raises(TypeError):
        build("d", colour="red")  # and unknown ones are refused


def test_a_built_dataset_is_stored_exactly_as_the_class_built_one() -> None:
    parts: dict[str, Any] = {
        "publisher": builder(Publisher)("org", "Org", uri="https://org.example"),
        "contact_point": builder(ContactPoint)(name="N", email="n@org.example"),
        "temporal": builder(Temporal)("2020", None),
        "source": builder(SourceRecord)(kind="ckan", media_type="application/json", text="{}"),
        "distributions": (builder(Distribution)("d", format="CSV"),),
    }
    made = builder(Dataset)("id-1", title="T", keywords=("a", "b"), **parts)
    ref = Dataset("id-1", title="T", keywords=("a", "b"), **parts)
    assert codec.encode_record(made) == codec.encode_record(ref)
    assert codec.decode_record(codec.encode_record(made)) == made


def test_classes_it_cannot_build_faithfully_are_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        a: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Post:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, Factory, Post):
        with pytest.raises(TypeError):
            builder(cls)
