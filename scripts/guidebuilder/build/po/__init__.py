"""gettext PO files for translators (`make po`, `make po-import`): the guide's texts and the builder's
words out to po/<slug>/<lang>.po, and the translations made in a PO editor back into steps.yaml.

- entries.py: the list of translatable texts of a guide, with their msgctxt and comments (one place).
- catalog.py: writes the POT template and the PO files; an old PO file is the memory of the source
  its translations were made from, so a changed source text comes back fuzzy.
- yamledit.py: changes one value of a YAML file in place, every other byte kept.
- importer.py: reads the PO files, refuses broken placeholders, writes, and checks the guide.
"""
