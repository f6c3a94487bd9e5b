"""The site engines: thin adapters that run a static-site generator on what the site stage prepared.

The only modules of the builder that may import MkDocs (tests/test_architecture.py checks it).
"""
