"""The repository's own diary: it builds with no warning, and every note the legacy README links is a page."""

import re
from pathlib import Path

import pytest

from conftest import build_site, check_warnings

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT.parent / "shared" / "legacy" / "README.md"


@pytest.fixture(scope="module")
def own_site(tmp_path_factory):
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("own")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(out / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    site = build_site(out, config=config)
    return site


def test_own_diary_builds_without_a_warning(own_site):
    check_warnings(own_site)


def legacy_links() -> list[str]:
    if not LEGACY.exists():
        pytest.skip(f"the legacy diary is not beside the repository ({LEGACY})")
    text = LEGACY.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"\]\(([\w./-]+\.md)\)", text)))


def test_every_legacy_paper_has_a_page(own_site):
    links = legacy_links()
    assert len(links) == 17
    for link in links:
        # Every address the legacy README links stays, KInetixGeneralRL.md (with its capital I) too.
        uri = link
        page = own_site.content(uri[:-3] + "/")
        assert 'class="pd-paper-header"' in page, uri
        assert "â€" not in page and "Ã" not in page, f"double-encoded text left in {uri}"


def test_home_lists_topics_with_counts(own_site):
    home = own_site.content("")
    counts = [int(n) for n in re.findall(r'<td class="pd-count">(\d+)</td>', home)]
    assert len(counts) == 7 and sum(counts) >= 17
