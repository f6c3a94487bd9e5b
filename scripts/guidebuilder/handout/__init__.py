"""Stage 3, the printed documents: turns the Guide and its crops into printable, tagged PDFs (HTML ->
WeasyPrint): the handouts, then the workshop kit (facilitator sheets, checklist cards).

Takes: the Guide, its strings and the crops stage's result.
Returns: `stage.render_handouts` and `kit.render_kit` -> {lang: [(Handout or KitDoc, path of the
PDF)]} in the store, each with its report.
"""
