"""The guide as typed, immutable objects. Built only by guidebuilder.source.validate.load_guide."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

# In a step's body, ((1)) refers to badge 1 on the step's image.
BADGE_REF = re.compile(r"\(\((\d{1,2})\)\)")
# Names reserved for examples and tests (RFC 2606, RFC 6761): no library's guide lives there.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
PLACEHOLDER_TLDS = ("example", "invalid", "test", "localhost")


def is_placeholder_url(url: str) -> bool:
    """Whether an address is a stand-in (guides.example.org, a .test host...), not a real page."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return (not host or host.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS
            or any(host == domain or host.endswith("." + domain) for domain in PLACEHOLDER_DOMAINS))


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own script
    dir: str = "ltr"
    screenshots: str | None = None  # another language whose screenshots this one shows

    @property
    def shots(self) -> str:
        """The language whose screenshots (and so crops) this language's readers see."""
        return self.screenshots or self.code

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"


@dataclass(frozen=True)
class Label:
    """An interface label exactly as the product shows it in one language.

    `shown` is the same label as the picture shows it, when the language shows another language's
    screenshots (`screenshots:` under `languages:`): the label check looks for it there instead.
    """

    text: str
    confirmed: bool = True
    shown: str | None = None

    @property
    def in_picture(self) -> str:
        """The label as the step's picture shows it."""
        return self.shown or self.text


@dataclass(frozen=True)
class Mistake:
    """What participants commonly get wrong at a step, and what the facilitator says (Markdown)."""

    problem: str
    say: str


@dataclass(frozen=True)
class StepFacilitator:
    """A step's notes for the workshop's facilitator: only on the facilitator sheet."""

    mistakes: tuple[Mistake, ...] = ()
    note: str | None = None  # Markdown


@dataclass(frozen=True)
class StepText:
    title: str
    body: str  # Markdown, restricted subset (validated)
    alt: str
    labels: tuple[Label, ...]
    tip: str | None = None
    facilitator: StepFacilitator | None = None  # never on a participant's page, handout or card

    @property
    def badge_refs(self) -> tuple[int, ...]:
        """Badge numbers the body refers to, in order of first mention."""
        seen: dict[int, None] = {}
        for match in BADGE_REF.finditer(self.body):
            seen.setdefault(int(match.group(1)), None)
        return tuple(seen)


@dataclass(frozen=True)
class Highlight:
    region: str
    badge: int


@dataclass(frozen=True)
class ImageSpec:
    """A crop of one screenshot per language, with its annotations. No pixels here: regions."""

    screenshot: str  # relative to guide/, with {lang}
    crop: str  # region name
    padding: int = 32
    highlights: tuple[Highlight, ...] = ()
    arrows: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()
    isolate: tuple[str, ...] = ()  # regions shown alone: the rest of the crop is background

    def screenshot_for(self, lang: str) -> str:
        return self.screenshot.replace("{lang}", lang)

    @property
    def badges(self) -> tuple[int, ...]:
        return tuple(h.badge for h in self.highlights)


@dataclass(frozen=True)
class Step:
    """A step, once per guide; its number is its place in each path it is in (DevicePath.number)."""

    id: str
    texts: Mapping[str, StepText]
    image: ImageSpec | None = None
    line: int = 0  # where the step starts in steps.yaml, for messages
    shortcut: str | None = None  # an https address that opens this step's page in the product
    minutes: int | None = None  # how long participants usually take (the facilitator sheet)

    def text(self, lang: str) -> StepText:
        return self.texts[lang]


@dataclass(frozen=True)
class PathText:
    title: str  # e.g. "On a phone or tablet"


@dataclass(frozen=True)
class DevicePath:
    """One way through the task (a device): the ids of its steps in order, a step in several paths.

    A guide without `paths:` has one implicit path holding every step (id "", no texts): it is
    published as before, with no tabs, headings or path in file names.
    """

    id: str
    texts: Mapping[str, PathText]
    steps: tuple[str, ...]
    shortcut: str | None = None  # an https address that opens the whole task in the product
    line: int = 0

    @property
    def implicit(self) -> bool:
        return not self.id

    def title(self, lang: str) -> str | None:
        return self.texts[lang].title if lang in self.texts else None

    def number(self, step_id: str) -> int:
        """The step's 1-based place in this path."""
        return self.steps.index(step_id) + 1


@dataclass(frozen=True)
class GuideFacilitator:
    """The guide's notes for the workshop's facilitator: only on the facilitator sheet."""

    before_you_start: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    undo: str | None = None  # Markdown: how to turn the setting back on


@dataclass(frozen=True)
class GuideText:
    title: str
    summary: str
    product: str | None = None  # the product's name in this language, when it differs
    facilitator: GuideFacilitator | None = None


NOTE_KINDS = ("warning", "info", "tip")


@dataclass(frozen=True)
class NoteText:
    body: str  # Markdown, restricted subset (validated), like a step's body
    title: str | None = None  # None: the builder's default title for the note's kind


@dataclass(frozen=True)
class Note:
    """A guide-level note shown before the steps: a warning, some information or a tip."""

    kind: str  # one of NOTE_KINDS
    texts: Mapping[str, NoteText]
    line: int = 0

    def text(self, lang: str) -> NoteText:
        return self.texts[lang]


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    publisher: str
    lang: str | None = None


@dataclass(frozen=True)
class Guide:
    file: Path  # its steps.yaml
    root: Path  # the project folder
    slug: str  # its address under the site: <site_url><slug>/
    folder: Path  # its screenshots, mockups and capture list (guide/ for the first guide)
    languages: tuple[Language, ...]
    product_name: str  # the platform the guide is about, as it writes its own name
    interface_date: date
    source: Source
    public_url: str  # <site_url><slug>/, from mkdocs.yml (or PUBLIC_URL): one address per shelf
    texts: Mapping[str, GuideText]
    steps: tuple[Step, ...]
    redact: tuple[str, ...] = ()
    verified: date | None = None
    former_slugs: tuple[str, ...] = ()  # earlier addresses, still printed on paper: redirected
    notes: tuple[Note, ...] = ()
    paths: tuple[DevicePath, ...] = ()  # empty: the one implicit path of every step, in order

    def __post_init__(self) -> None:
        if not self.paths:  # a guide is always at least one path: every stage may take paths[0]
            implicit = DevicePath("", MappingProxyType({}), tuple(step.id for step in self.steps))
            object.__setattr__(self, "paths", (implicit,))

    @property
    def several_paths(self) -> bool:
        """Whether the guide is published per path: tabs on its page, one set of handouts each."""
        return len(self.paths) > 1

    def path(self, path_id: str | None) -> DevicePath:
        """A path by id; None is the only path of a guide of one (what its handouts name)."""
        if path_id is None and not self.several_paths:
            return self.paths[0]
        return next(path for path in self.paths if path.id == path_id)

    def path_steps(self, path: DevicePath) -> tuple[Step, ...]:
        """The steps of a path, in its order."""
        by_id = {step.id: step for step in self.steps}
        return tuple(by_id[step_id] for step_id in path.steps)

    def path_url(self, lang: str, path: DevicePath) -> str:
        """Where a path's handouts lead: the guide page, opened at that path's tab when it has several."""
        return f"{self.url_for(lang)}#{path.id}" if self.several_paths else self.url_for(lang)

    @property
    def guide_dir(self) -> Path:
        return self.folder

    @property
    def shown_file(self) -> str:
        """Its steps.yaml as messages name it: relative to the project (guides/<slug>/steps.yaml)."""
        return (self.file.relative_to(self.root).as_posix() if self.file.is_relative_to(self.root)
                else str(self.file))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def source_language(self) -> Language:
        return self.languages[0]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def text(self, lang: str) -> GuideText:
        return self.texts[lang]

    def product(self, lang: str) -> str:
        """The product's name as readers of `lang` know it (its override there, else `product`)."""
        return self.texts[lang].product or self.product_name

    def screenshot_lang(self, lang: str) -> str:
        """The language whose screenshots the readers of `lang` see (itself, or its fallback)."""
        return self.language(lang).shots

    @property
    def has_placeholder_url(self) -> bool:
        """`public_url` is still a stand-in: nothing may print a QR code or address leading to it."""
        return is_placeholder_url(self.public_url)

    def url_for(self, lang: str) -> str:
        """The public address of the guide in one language."""
        return f"{self.public_url.rstrip('/')}/{lang}/"

    def screenshot_path(self, step: Step, lang: str) -> Path:
        """The screenshot a step shows readers of `lang`: their own, or their fallback language's."""
        assert step.image is not None
        return self.guide_dir / step.image.screenshot_for(self.screenshot_lang(lang))
