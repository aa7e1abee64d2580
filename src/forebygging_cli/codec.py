"""Plans and reports as plain data (lists, strings, numbers), and back: the
form the cache keeps them in.

Nothing read is ever run or trusted: an entry is JSON, and it is turned back
into objects by decoders made here from the dataclasses' own field types (not
from anything in the entry), which check the type of every value. A value of
the wrong type, a list of the wrong length, anything unexpected raises
`Invalid`, and the cache treats the entry as missing.

Encoded, a dataclass is the list of its field values in field order; a tuple
or a frozenset is a list; a mapping is an object. A Plan's positions (where
each value stands in its file) are left out: a Plan decoded has none, as no
command asks where a value of a stored plan stands (see batch.STORE_FROM).

The decoders are generated Python (one function per class, built once per
process from the field types), because rebuilding a plan must cost no more
than reading it from a pickle did. They are two modules: `_decoders.py` for
Plans and reports, and `_fact_decoders.py` for the facts the store keeps
(query.PlanFacts), so that a query answered from the store imports neither
the model nor the findings. Encoding, which every check of a plan file does
(the plan, its report, the store's facts), has generated functions too
(`_encoders.py`): `dumps` writes a plan twice as fast with them as with
orjson asking codec for each dataclass it meets.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any


class Invalid(ValueError):
    """Data that is not what the decoder expects (a damaged or foreign cache entry)."""


def _bad(*_args: Any) -> Any:
    raise Invalid("unexpected value")


# ---------------------------------------------------------------------------
# encoding: objects -> plain data


def encode(value: Any) -> Any:
    """A dataclass tree as lists, strings, numbers, booleans and None (positions left out)."""
    cls = value.__class__
    if cls in _PLAIN:
        return value
    names = _field_names(cls)
    if names is not None:
        return [encode(getattr(value, name)) for name in names]
    if cls is tuple or cls is list:
        return [encode(item) for item in value]
    if isinstance(value, (str, int, float)):  # a subclass (an IntEnum, a str subclass)
        return value
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(encode(item) for item in value)
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__}")


#: the classes of a plain value (None's too): what encode() gives back as it is, and what a decoder takes
#: as it is where the field's type is Any
_PLAIN = frozenset((str, int, float, bool, type(None)))


def dumps(value: Any) -> bytes:
    """orjson.dumps(encode(value)), byte for byte, faster: a Plan, a FileReport or a PlanFacts is made plain
    lists by its generated encoder (_encoders.py), and orjson writes them; anything else (and any value of a
    class its field's type does not name) orjson walks itself, asking _plain only for a dataclass or a set.
    Every check of a plan file stores one. Raises TypeError where encode does."""
    import orjson

    from ._encoders import ENCODERS

    encoder = ENCODERS.get(value.__class__)
    try:
        return orjson.dumps(value if encoder is None else encoder(value), default=_plain,
                            option=orjson.OPT_PASSTHROUGH_DATACLASS)
    except TypeError:  # a dict whose keys are not all strings (orjson's own error is a TypeError): as encode
        return orjson.dumps(encode(value))


def _plain(value: Any) -> Any:
    """What encode makes of a value orjson does not write itself, one level down (orjson walks the rest)."""
    names = _field_names(value.__class__)
    if names is not None:
        return [getattr(value, name) for name in names]
    if isinstance(value, frozenset):
        return sorted(encode(item) for item in value)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (tuple, list)):  # a subclass (a named tuple)
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The names of the fields encode() writes of a dataclass (in field order), or None for another class."""
    return tuple(f.name for f in _fields(cls)) if dataclasses.is_dataclass(cls) else None


# ---------------------------------------------------------------------------
# decoding: plain data -> objects, by generated functions


def decode(cls: type, value: Any) -> Any:
    """An instance of the dataclass `cls` (a Plan, a FileReport, a PlanFacts) from its encoded form. Raises
    Invalid."""
    from importlib import import_module

    module = next(name for name, roots in GENERATED.items() if cls.__name__ in _class_names(roots))
    try:
        return getattr(import_module(f".{module}", __package__), f"decode_{cls.__name__}")(value)
    except Invalid:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError) as exc:
        raise Invalid(str(exc)) from None


#: each generated module, and the classes it decodes; the decoders of every class inside them are generated too
GENERATED: dict[str, tuple[str, ...]] = {
    "_decoders": ("model.Plan", "findings.FileReport"),
    "_fact_decoders": ("query.PlanFacts",),
}
#: the classes the cache stores (the first module's)
ROOTS = GENERATED["_decoders"]


@functools.cache
def _class_names(roots: tuple[str, ...]) -> frozenset[str]:
    """The names of the classes whose decoders the module of `roots` holds (the roots only: a class inside
    them is decoded as part of its root)."""
    return frozenset(root.split(".")[1] for root in roots)


@functools.cache
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.name != "positions")


def decoders_source(module: str = "_decoders") -> str:
    """The source of the generated module `module` (`_decoders.py`, `_fact_decoders.py`): one decoding
    function per dataclass, made from the field types.

    Generated and committed rather than made at run time, where compiling it would cost a warm query
    more than decoding its plan; `python -m forebygging_cli.codec` writes it, and a test fails while
    the committed module differs from what this gives (after a change to model.py or findings.py)."""

    def decoder(cls: type, needed: list[type]) -> str:
        hints = typing.get_type_hints(cls)
        fields = _fields(cls)
        names = [f"f{index}" for index in range(len(fields))]
        values = [f"{field.name!r}: {_expression(hints[field.name], name, needed)}"
                  for name, field in zip(names, fields)]
        if any(f.name == "positions" for f in dataclasses.fields(cls)):
            values.append("'positions': _proxy({})")
        return "\n".join([
            f"def decode_{cls.__name__}(v):",
            f"    if v.__class__ is not list or len(v) != {len(fields)}:",
            "        _bad()",
            f"    {', '.join(names)}{',' if len(names) == 1 else ''} = v",
            f"    o = _new({cls.__name__})",
            "    o.__dict__.update({",
            *(f"        {value}," for value in values),
            "    })",
            "    return o",
        ])

    classes, functions = _generated(GENERATED[module], decoder)
    header = [
        *_header("Decoders", "decoders_source", classes),
        "from .codec import _PLAIN, _bad",
        "",
        "_new = object.__new__",
        "_tuple = tuple",
        "_frozenset = frozenset",
        "_type = type",
        "_ONLY_STR = frozenset((str,))",
        "_ONLY_INT = frozenset((int,))",
    ]
    return "\n".join(header) + "\n\n\n" + "\n\n\n".join(functions) + "\n"


def _generated(roots: tuple[str, ...], function: Any) -> tuple[dict[str, type], list[str]]:
    """The dataclasses of `roots` ("model.Plan") and every dataclass inside them, by name, and the source
    `function(cls, needed)` gives of each (it adds to `needed` the dataclasses its fields hold), each after
    those of the classes it needs."""
    from importlib import import_module

    classes: dict[str, type] = {}
    functions: list[str] = []

    def generate(cls: type) -> None:
        if cls.__name__ in classes:
            return
        classes[cls.__name__] = cls
        needed: list[type] = []
        source = function(cls, needed)
        for inner in needed:
            generate(inner)
        functions.append(source)

    for root in roots:
        home, name = root.split(".")
        generate(getattr(import_module(f"{__package__}.{home}"), name))
    return classes, functions


def _header(what: str, maker: str, classes: dict[str, type]) -> list[str]:
    """The start of a generated module of `what` ("Decoders"), written by `maker`: its docstring, and the
    imports of `classes`."""
    imports: dict[str, list[str]] = {}
    for name, cls in sorted(classes.items()):
        imports.setdefault(cls.__module__.rsplit(".", 1)[1], []).append(name)
    sources = ", ".join(sorted({f"{home}.py" for home in imports}))
    return [
        f'"""{what} of the cache\'s plain data, one per dataclass: generated by codec.{maker}()',
        "from the classes' field types. Do not edit: run `python -m forebygging_cli.codec` after changing",
        f'{sources} (a test fails until then)."""',
        "",
        "# ruff: noqa",
        "from types import MappingProxyType as _proxy",
        "",
        *(f"from .{module} import {', '.join(names)}" for module, names in sorted(imports.items())),
    ]


def _expression(hint: Any, source: str, needed: list[type], depth: int = 0, *, local: bool = True) -> str:
    """A Python expression that decodes `source` as a value of type `hint`, or calls _bad(). Everything
    is inline but the decoders of nested dataclasses. `source` is a name, or a subscript that is bound
    to a name first (`:=`) where that name is local to the generated function (`local`): inside a list
    comprehension an assignment expression would make a closure cell, which is slow, so there a
    subscript is written out where it is used."""
    if source.isidentifier() or not local:
        x, value = source, source
    else:
        x = f"x{depth}"
        value = f"({x} := {source})"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1 or len(args) != 2:
            raise TypeError(f"unsupported union {hint}")
        if options[0] in (str, int, bool):
            return f"({x} if {value} is None or {x}.__class__ is {options[0].__name__} else _bad())"
        return f"(None if {value} is None else {_expression(options[0], x, needed, depth + 1, local=local)})"
    if hint in (str, int, bool):
        return f"({x} if {value}.__class__ is {hint.__name__} else _bad())"
    if hint is float:
        return f"(float({x}) if {value}.__class__ in (int, float) else _bad())"
    if hint is Any:
        return f"({x} if {value}.__class__ in _PLAIN else _bad())"
    if dataclasses.is_dataclass(hint):
        needed.append(hint)
        return f"decode_{hint.__name__}({source})"
    y = f"y{depth}"
    if hint is tuple or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        kind = args[0] if args else Any
        if kind in (str, int, Any):  # plain items: their classes checked at once, in C
            allowed = "_PLAIN" if kind is Any else f"_ONLY_{kind.__name__.upper()}"
            return f"(_tuple({x}) if {value}.__class__ is list and {{*map(_type, {x})}} <= {allowed} else _bad())"
        item = _expression(kind, y, needed, depth + 1, local=False)
        return f"_tuple([{item} for {y} in {x}] if {value}.__class__ is list else _bad())"
    if origin is tuple:  # a fixed length: (from, to)
        items = ", ".join(_expression(a, f"{x}[{i}]", needed, depth + 1 + i, local=local)
                          for i, a in enumerate(args))
        return f"(({items},) if {value}.__class__ is list and len({x}) == {len(args)} else _bad())"
    if origin is frozenset and args[0] in (str, int):
        allowed = f"_ONLY_{args[0].__name__.upper()}"
        return f"(_frozenset({x}) if {value}.__class__ is list and {{*map(_type, {x})}} <= {allowed} else _bad())"
    if origin is frozenset:
        item = _expression(args[0], y, needed, depth + 1, local=False)
        return f"_frozenset([{item} for {y} in {x}] if {value}.__class__ is list else _bad())"
    if origin in (Mapping, dict) or hint is Mapping:
        item = _expression(args[1] if args else Any, y, needed, depth + 1, local=False)
        return f"_proxy({{k: {item} for k, {y} in {x}.items()}} if {value}.__class__ is dict else _bad())"
    raise TypeError(f"unsupported field type {hint}")


def encoders_source() -> str:
    """The source of the generated module `_encoders.py`: one function per dataclass of every generated
    module's roots, made from the field types, that gives what encode() gives, but with the values orjson
    writes as encode would (strings, numbers, tuples of them) left as they are, for orjson to write.

    Generated and committed, as the decoders are (decoders_source), for the same reason."""

    def encoder(cls: type, needed: list[type]) -> str:
        hints = typing.get_type_hints(cls)
        values = [_encoding(hints[field.name], f"o.{field.name}", needed) for field in _fields(cls)]
        return "\n".join([f"def encode_{cls.__name__}(o):", "    return [", *(f"        {value}," for value in values),
                          "    ]"])

    classes, functions = _generated(tuple(root for roots in GENERATED.values() for root in roots), encoder)
    table = ["#: the encoder of each class", "ENCODERS = {",
             *(f"    {name}: encode_{name}," for name in sorted(classes)), "}"]
    return ("\n".join(_header("Encoders", "encoders_source", classes)) + "\n\n\n" + "\n\n\n".join(functions)
            + "\n\n\n" + "\n".join(table) + "\n")


def _encoding(hint: Any, source: str, needed: list[type], depth: int = 0) -> str:
    """A Python expression of what encode() makes of `source`, a value of type `hint`: `source` itself where
    orjson writes it as encode would (_written_as_is), else lists made here, each only where the value is of
    the very class its type names (a tuple, a frozenset, a mapping, the dataclass). A value of another class
    is left as it is, for orjson to write with `_plain` (as dumps writes any value), so the result is
    encode()'s whatever the value. `source` is evaluated more than once (an attribute, a name or an item)."""
    if _written_as_is(hint):
        return source
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):  # X | None: None is not of X's class, so left as it is
        options = [a for a in args if a is not type(None)]
        if len(options) != 1 or len(args) != 2:
            raise TypeError(f"unsupported union {hint}")
        return _encoding(options[0], source, needed, depth)
    if dataclasses.is_dataclass(hint):
        needed.append(hint)
        return f"(encode_{hint.__name__}({source}) if {source}.__class__ is {hint.__name__} else {source})"
    y = f"y{depth}"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return f"([{_encoding(args[0], y, needed, depth + 1)} for {y} in {source}] if {source}.__class__ is tuple " \
               f"else {source})"
    if origin is tuple:  # a fixed length: (finding, text)
        items = ", ".join(_encoding(a, f"{source}[{i}]", needed, depth) for i, a in enumerate(args))
        return f"([{items}] if {source}.__class__ is tuple and len({source}) == {len(args)} else {source})"
    if origin is frozenset and _written_as_is(args[0]):  # (a set of anything else: orjson asks _plain)
        return f"(sorted({source}) if {source}.__class__ is frozenset else {source})"
    if origin in (Mapping, dict) or hint is Mapping:  # orjson writes a dict itself, but not a mapping proxy
        if not args or _written_as_is(args[1]):
            return f"(dict({source}) if {source}.__class__ is _proxy else {source})"
        return f"({{k: {_encoding(args[1], y, needed, depth + 1)} for k, {y} in {source}.items()}} " \
               f"if {source}.__class__ is _proxy else {source})"
    if origin is frozenset:
        return source
    raise TypeError(f"unsupported field type {hint}")


def _written_as_is(hint: Any) -> bool:
    """Whether orjson writes a value of type `hint` as encode() would: a string, a number, a boolean, None,
    or a tuple or union of such (a tuple is a list to both). A value typed Any is left to orjson, which asks
    _plain for whatever it does not write itself, as dumps does."""
    if hint in _PLAIN or hint is tuple or hint is Any:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union, tuple):
        return all(_written_as_is(a) for a in args if a is not Ellipsis)
    return False


if __name__ == "__main__":
    from pathlib import Path

    for generated, source in [*((g, decoders_source(g)) for g in GENERATED), ("_encoders", encoders_source())]:
        target = Path(__file__).with_name(f"{generated}.py")
        target.write_text(source, encoding="utf-8")
        print(f"wrote {target}")
