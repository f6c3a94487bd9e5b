"""Guide builder: one steps.yaml in, a multilingual site, PDF handouts and annotated crops out.

The core (model, crops, pages, handouts) imports neither MkDocs nor a CLI library; the MkDocs hooks
and the command line are thin layers on top.
"""
