"""One measured fix to NiceGUI's element construction, applied by ``views.app.build_root`` before any page is built.

Every NiceGUI element creates three observable collections (props, classes, style), and each one asks
``helpers.expects_arguments`` whether its change handler (a bound method such as ``Props._update``) takes arguments.
That question is answered with ``inspect.signature``, afresh for every element: on the 2-core dev machine it was about
a third of the Python time of building a page (the Train page's first screen: ~450 signature calls). A bound method's
answer depends only on its function, so ``cached_expects_arguments`` remembers it per function; any other callable
(lambdas, partials, callable objects) still goes to NiceGUI's own check.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable

from nicegui import helpers
from nicegui.helpers import functions

_original = functions.expects_arguments
_by_function: weakref.WeakKeyDictionary[Callable, bool] = weakref.WeakKeyDictionary()


def cached_expects_arguments(func: Callable) -> bool:
    """``nicegui.helpers.expects_arguments``, remembered per function for bound methods of plain functions."""
    if not inspect.ismethod(func) or not inspect.isfunction(func.__func__):
        return _original(func)
    target = func.__func__
    answer = _by_function.get(target)
    if answer is None:
        answer = _by_function[target] = _original(func)
    return answer


def apply() -> None:
    """Route NiceGUI's callers (they look the helper up on the module at call time) through the cache."""
    helpers.expects_arguments = cached_expects_arguments
    functions.expects_arguments = cached_expects_arguments
