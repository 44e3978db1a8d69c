"""Form schemas for the Command Builder: parsing, safe conditions, option sources, resolution and validation.

A schema (``configs/ui/schemas/<command>.yaml``) is parsed into ``FormSchema``; ``resolve_form`` turns the values a
user changed into the full picture a view renders (visibility, options, defaults, help, errors, overrides).
"""
