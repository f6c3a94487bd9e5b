"""Stage 1, the source: reads a guide's steps.yaml and the builder's words, checks them, and returns
the immutable model.

Takes: the path of a steps.yaml and the project folder.
Returns: a `guidebuilder.model.Guide` (`validate.load_guide`) and its strings per language
(`strings.load_strings`); raises `GuideError` listing every problem, each with file:line, step and
language. `validate.check_guide` and `strings.read_strings` also return the warnings about texts
still in the source language (hygiene.py) and steps above the reading-level target (readability.py).
Nothing after this stage reads YAML.
"""
