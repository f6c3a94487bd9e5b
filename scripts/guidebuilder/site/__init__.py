"""Stage 4, the website: turns the Guide, its crops and handouts into one site per language and
the page that lists them.

Takes: the Guide, its strings, the crops and the handouts.
Returns: `engine.build_site` writes site/<lang>/ and site/index.html into the build's staging
folder and returns how many languages were built or reused.
"""
