"""The cached ``expects_arguments`` gives NiceGUI's own answers, for every kind of callable NiceGUI asks about."""

from __future__ import annotations

import functools

from nicegui import helpers
from nicegui.helpers import functions

from views import framework_speedups
from views.framework_speedups import cached_expects_arguments


class Handlers:
    def no_args(self) -> None: ...
    def one_arg(self, event) -> None: ...
    def optional(self, event=None) -> None: ...
    def varargs(self, *args, **kwargs) -> None: ...


def test_the_cache_answers_as_nicegui_does_for_methods_functions_and_partials() -> None:
    original = framework_speedups._original
    first, second = Handlers(), Handlers()
    callables = [first.no_args, first.one_arg, first.optional, first.varargs, second.one_arg, second.no_args,
                 lambda: None, lambda event: None, functools.partial(lambda a, b: None, 1)]
    for _ in range(2):  # the second round comes from the cache for the bound methods
        assert [cached_expects_arguments(f) for f in callables] == [original(f) for f in callables]


def test_applying_routes_nicegui_s_callers_through_the_cache() -> None:
    framework_speedups.apply()
    assert helpers.expects_arguments is cached_expects_arguments
    assert functions.expects_arguments is cached_expects_arguments
