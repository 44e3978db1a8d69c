"""UI-free application services: catalogs, command building, dry-runs and jobs.

Everything here is shared by all browser tabs and is created once per process (see ``app_services``). Nothing here
imports nicegui, and nothing imports torch at module import, so a page switch never pays for either.
"""
