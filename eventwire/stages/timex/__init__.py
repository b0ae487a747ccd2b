"""Time expressions: find them in text and normalise them TIMEX3-style (used by the ``dates``
stage, :mod:`eventwire.stages.dates`).

One module per concern, in the order a text goes through them:
``lexicon`` (the words, from ``data/timex/lexicon.toml``) -> ``grammar``, ``grammar_deictic``,
``grammar_extent`` (patterns and their normalisers) -> ``rules`` (the rule table) ->
``context`` and ``calendar`` (anchoring against the document date) -> ``tagger`` (scan, pick,
normalise) -> ``plausible`` (refuse clock times, BC years and other impossible dates).
"""
