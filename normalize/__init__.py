"""Canonical values from raw page text: small pure functions, ``str -> value | None``.

Modules: ``text`` (clean text), ``dates`` (dates with precision), ``runtime`` (minutes),
``language`` (language codes), ``roles`` (canonical credit roles), ``counts`` (integers, scores,
user-list summaries), ``kinds`` (title kinds), ``money`` (budgets), ``labels`` (the shared,
multilingual info-box label vocabulary).
"""
