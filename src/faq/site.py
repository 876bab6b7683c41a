"""The static site: mkdocs-material + mkdocs-static-i18n, built strict, swapped in atomically."""

from __future__ import annotations

import copy
import io
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from faq.config import Settings
from faq.errors import BuildError
from faq.i18n import _

PACKAGE = Path(__file__).parent
STATIC = PACKAGE / "static"
THEME_OVERRIDES = PACKAGE / "theme_overrides"
WIDGET_JS = "faq-widget.js"
WIDGET_I18N = "faq-widget-i18n"  # <lang>.json: the widget's UI strings, one file per language

# Used when the knowledge base has no mkdocs.yml of its own.
DEFAULT_CONFIG: dict[str, Any] = {
    "site_name": "FAQ",
    "use_directory_urls": True,
    "theme": {
        "name": "material",
        "features": ["navigation.indexes", "navigation.sections", "navigation.top"],
    },
    "plugins": ["search", {"i18n": {"docs_structure": "folder"}}],
    "markdown_extensions": [
        "admonition",
        "attr_list",
        "tables",
        {"toc": {"permalink": True}},
        "pymdownx.highlight",
        "pymdownx.superfences",
        # `??? question` collapsible blocks, as mkdocs-material pages write FAQs
        "pymdownx.details",
        "pymdownx.magiclink",
    ],
}


def language_name(code: str) -> str:
    """A language's own name for itself (한국어, English, 中文…)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def _base_config(settings: Settings) -> tuple[dict[str, Any], Path]:
    """The site's mkdocs.yml as a dict (or the defaults), and the path it stands for."""
    from mkdocs.utils.yaml import yaml_load

    path = settings.root / "mkdocs.yml"
    if not path.is_file():
        return json.loads(json.dumps(DEFAULT_CONFIG)), path
    try:
        with path.open("rb") as fh:
            data = yaml_load(fh)
    except Exception as exc:  # mkdocs raises ConfigurationError, yaml its own errors
        raise BuildError(_("{path}: {error}").format(path=path, error=_one_line(exc))) from None
    return data, path


# mkdocs always loads these, before the ones mkdocs.yml lists (mkdocs.config.defaults)
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class MarkdownConfig:
    """The Python-Markdown extensions of the site, as `markdown.Markdown` takes them."""

    extensions: tuple[str, ...]
    configs: dict[str, dict[str, Any]]

    def as_mkdocs(self) -> list[Any]:
        """The same, as mkdocs.yml's `markdown_extensions` list."""
        return [
            {name: self.configs[name]} if name in self.configs else name for name in self.extensions
        ]


def markdown_config(settings: Settings | None = None) -> MarkdownConfig:
    """The one Markdown configuration of a knowledge base: `markdown_extensions` of its
    mkdocs.yml (else DEFAULT_CONFIG's; DEFAULT_CONFIG's without settings), after mkdocs'
    built-in ones. The site build and the API's answer HTML (faq.entries) both render with it.

    Raises BuildError when mkdocs.yml cannot be read or its list is malformed.
    """
    data, path = (
        _base_config(settings) if settings else (copy.deepcopy(DEFAULT_CONFIG), Path("mkdocs.yml"))
    )
    names: list[str] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    raw = data.get("markdown_extensions") or []
    items = [{k: v} for k, v in raw.items()] if isinstance(raw, dict) else list(raw)
    for item in items:
        if isinstance(item, str):
            name, conf = item, None
        elif isinstance(item, dict) and len(item) == 1:
            name, conf = next(iter(item.items()))
        else:
            raise BuildError(
                _("{path}: invalid markdown_extensions item {item!r}").format(path=path, item=item)
            )
        if name not in names:
            names.append(str(name))
        if isinstance(conf, dict):
            configs[str(name)] = conf
    return MarkdownConfig(tuple(names), configs)


def _plugins(raw: Any) -> list[Any]:
    if isinstance(raw, dict):
        return [{name: conf} if conf else name for name, conf in raw.items()]
    return list(raw or [])


def _plugin_name(item: Any) -> str:
    return item if isinstance(item, str) else next(iter(item))


def site_config(settings: Settings, site_dir: Path) -> tuple[dict[str, Any], Path]:
    """The overrides that make mkdocs build this knowledge base, in the settings' languages.

    Returns (options for mkdocs.config.load_config, the path of the base mkdocs.yml).
    """
    data, path = _base_config(settings)
    theme = data.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    custom = theme.get("custom_dir")
    custom_path = (path.parent / custom) if custom else None
    theme["custom_dir"] = str(
        custom_path if custom_path and custom_path.is_dir() else THEME_OVERRIDES
    )
    theme["font"] = False  # never Google Fonts: the site makes no third-party request
    theme["language"] = settings.default_language

    plugins = _plugins(data.get("plugins", ["search"]))
    names = [_plugin_name(p) for p in plugins]
    if "search" not in names and "material/search" not in names:
        plugins.insert(0, "search")  # the fallback when the ask API cannot be reached
    i18n: dict[str, Any] = {}
    for i, item in enumerate(plugins):
        if _plugin_name(item) == "i18n":
            i18n = dict(item["i18n"] or {}) if isinstance(item, dict) else {}
            plugins[i] = {"i18n": i18n}
            break
    else:
        plugins.append({"i18n": i18n})
    configured = {lang.get("locale"): lang for lang in i18n.get("languages") or []}
    languages = []
    for code in settings.languages:
        lang = dict(configured.get(code) or {})
        lang["locale"] = code
        lang.setdefault("name", language_name(code))
        lang["default"] = code == settings.default_language
        lang["build"] = True
        languages.append(lang)
    i18n["docs_structure"] = "folder"
    i18n["languages"] = languages

    hooks = [str(PACKAGE / "site_hooks.py"), *data.get("hooks", [])]
    options: dict[str, Any] = {
        "hooks": hooks,
        "docs_dir": str(settings.docs),
        "site_dir": str(site_dir),
        "strict": True,
        "theme": theme,
        "plugins": plugins,
        "markdown_extensions": markdown_config(settings).as_mkdocs(),
    }
    if settings.site_url:
        options["site_url"] = settings.site_url
    return options, path


class _Collect(logging.Handler):
    """Keeps the warnings and errors mkdocs logs, to report the first one."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(_one_line(record.getMessage()))


@contextmanager
def _mkdocs_logs() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _run_mkdocs(settings: Settings, site_dir: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # a banner for mkdocs' own CLI only
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    options, path = site_config(settings, site_dir)
    with _mkdocs_logs() as logs:
        try:
            if path.is_file():
                config = load_config(str(path), **options)
            else:
                # no mkdocs.yml beside faq.toml: the defaults, named by the site_name setting
                named = {**DEFAULT_CONFIG, "site_name": settings.site_name}
                text = yaml.safe_dump(named, allow_unicode=True)
                config = load_config(io.StringIO(text), config_file_path=str(path), **options)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except Exception as exc:  # mkdocs' Abort, ConfigurationError, plugin and theme errors
            reason = logs.messages[0] if logs.messages else _one_line(exc) or type(exc).__name__
            more = len(logs.messages) - 1
            if more > 0:
                reason += " " + _("(and {count} more)").format(count=more)
            raise BuildError(
                _("the site could not be built (mkdocs --strict): {reason}").format(reason=reason)
            ) from None


def add_widget(settings: Settings, site_dir: Path) -> None:
    """Put the ask widget and its UI strings (one JSON per language) into a built site."""
    from faq.widget_strings import export

    shutil.copy2(STATIC / WIDGET_JS, site_dir / WIDGET_JS)
    folder = site_dir / WIDGET_I18N
    folder.mkdir(exist_ok=True)
    for lang in dict.fromkeys(("en", *settings.languages)):
        text = json.dumps(export(lang), ensure_ascii=False, indent=1, sort_keys=True)
        (folder / f"{lang}.json").write_text(text + "\n", "utf-8")


def copy_sitemaps(settings: Settings, site_dir: Path) -> None:
    """The theme's language selector fetches <lang>/sitemap.xml; the i18n build writes one, at
    the root, that lists every language's pages."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        source = site_dir / name
        if not source.is_file():
            continue
        for lang in settings.languages:
            folder = site_dir / lang
            if lang != settings.default_language and folder.is_dir():
                if not (folder / name).exists():
                    shutil.copy2(source, folder / name)


def write_site(settings: Settings, folder: Path) -> None:
    """Build the site into `folder` (new, not yet served). Raises BuildError or OSError."""
    _run_mkdocs(settings, folder)
    add_widget(settings, folder)
    copy_sitemaps(settings, folder)


def build_site(settings: Settings) -> Path:
    """Build the site as a new build that keeps the current index, under the build lock, and
    swap it in at once (see faq.atomic): a server never sees a half-built site; on any error the
    previous site stays and BuildError says why, in one line. Returns settings.site."""
    from faq.atomic import transaction

    with transaction(settings.index, settings.site) as (builds, slot):
        write_site(settings, slot.site)
        builds.carry_over(slot, "index")
        builds.commit(slot)
    return settings.site.absolute()
