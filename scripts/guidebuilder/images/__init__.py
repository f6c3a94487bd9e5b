"""Stage 2, the images: turns each step's image spec and its screenshot's named regions into
annotated, redacted crops.

Takes: the Guide (and the screenshots and regions files it names).
Returns: `crops.render_crops` -> a CropSet {(step id, lang): Crop} with the PNGs at 1x and 2x and
what the run drew or reused; `checks.check_images` raises `GuideError` for missing regions,
unreadable screenshots and labels the screenshot does not show, and returns warnings for crops too
small to read on a phone, a projector or paper (legibility.py).
"""
