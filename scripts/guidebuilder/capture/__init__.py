"""Beside the build, the capture: renders the recreated interface pages (mockups) and takes
screenshots of pages with Playwright, recording each named element's box.

Takes: a capture list (guide/capture.yaml) and, for real sites, a saved login.
Returns: nothing; writes guide/screenshots/<lang>/<page>.png and .regions.json, the only stage that
writes into a guide's sources. Never imports the handout or site stages.
"""
