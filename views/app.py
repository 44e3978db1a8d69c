"""The workbench's pages, wired to the shared services: the one place that lists which view serves which page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import framework_speedups
from .command_page import CommandPage
from .jobs_page import JobsPage
from .overview import OverviewPage
from .shell import create_root, pages_loading

__all__ = ['build_root', 'pages_loading']


def build_root(services: Any, *, wait_for_paint: bool = True) -> Callable:
    """The ``ui.run`` root for ``services`` (built once per process, shared by every client); ``wait_for_paint``
    as in ``create_root``."""
    framework_speedups.apply()
    return create_root(services, wait_for_paint=wait_for_paint, factories={
        'overview': OverviewPage,
        'train': lambda context: CommandPage(context, 'train'),
        'test': lambda context: CommandPage(context, 'test'),
        'predict': lambda context: CommandPage(context, 'predict'),
        'jobs': JobsPage,
    })
