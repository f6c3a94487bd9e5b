"""The one orchestrator: runs the stages in order (source, images, handout, site), reports each,
and publishes site/ atomically, one build at a time.

Takes: a steps.yaml, the project folder, the output and cache folders.
Returns: nothing; site/ is either the previous build or the whole new one.
"""
