"""Run the Examples of every analysis module, so that plain ``pytest`` checks them too
(same as ``pytest --doctest-modules graph/analysis``)."""

import doctest
import importlib
import pkgutil

import networkx as nx
import pytest

import graph.analysis

MODULES = ["graph.analysis"] + [
    f"graph.analysis.{m.name}" for m in pkgutil.iter_modules(graph.analysis.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"nx": nx}, optionflags=doctest.ELLIPSIS,
                             raise_on_error=False, verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) failed in {name}"


def test_every_module_has_examples():
    finder = doctest.DocTestFinder()
    for name in MODULES:
        if name.endswith("._common") or name.endswith("._index"):
            continue
        tests = finder.find(importlib.import_module(name))
        assert any(t.examples for t in tests), f"{name} has no examples"
