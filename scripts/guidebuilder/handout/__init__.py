"""Stage 3, the handouts: turns the Guide and its crops into printable, tagged PDFs (HTML ->
WeasyPrint).

Takes: the Guide, its strings and the crops stage's result.
Returns: `stage.render_handouts` -> {lang: [(Handout, path of the PDF)]} in the cache.
"""
