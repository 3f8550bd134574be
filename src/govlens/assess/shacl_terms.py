"""Value-level tests of SHACL Core (the specification's definitions, as pyshacl reads them),
and the small term helpers the shape compiler in :mod:`govlens.assess.shacl` uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import IdentifiedNode, Node, Variable

NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
}

PY_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}


def datatype_ok(v: Node, dtype: Node) -> bool:
    """sh:datatype: a literal of that datatype that is not ill-typed."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == dtype:
        if getattr(v, "ill_typed", None) is True:
            return False
        return value_is(v, dtype)
    if dtype == RDFS.Literal:
        return True
    if dtype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and dtype == XSD.string:
        return value_is(v, dtype)
    if dtype == RDF.langString and v.language:
        return value_is(v, dtype)
    return False


def value_is(v: Literal, dtype: Node) -> bool:
    py = PY_TYPES.get(dtype)
    return True if py is None else isinstance(v.value, py)


def py_value(o: Node) -> Any:
    """A shape parameter's Python value: every concrete rdflib term has ``toPython``, their base
    class ``Node`` does not declare it."""
    return o.toPython() if isinstance(o, (IdentifiedNode, Literal, Variable)) else o


def re_flags(flags: str) -> int:
    out = 0
    for ch, f in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if ch in flags:
            out |= f
    return out


def short(node: Node | None) -> str:
    if node is None:
        return ""
    s = str(node)
    for sep in ("#", "/"):
        if sep in s:
            return s.rsplit(sep, 1)[-1]
    return s
