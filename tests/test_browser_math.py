"""Math and diagrams as a person sees them on an iPad, in light and dark: Chromium, pages served on 127.0.0.1.

Screenshots land in tests/artifacts/screenshots/math-*.png.
"""

from __future__ import annotations

import pytest

from conftest import CHROMIUM, build_site, check_warnings, write_site
from test_browser import SHOTS, Server, browser, context  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (/usr/bin/chromium): "
                                                                 "apt-get install chromium to run the browser tests")

NOTE = r"""## World models with a learned loss

Date read: 12 May 2024

the objective mixes \(\mathcal{L}_{\text{RL}}\) and $\lambda(t)\,\mathcal{L}_{\text{demo}}$, with $\gamma = 0.99$.

- clipped surrogate:
  $$L^{\text{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[\min\left(r_t(\theta)\hat{A}_t, \operatorname{clip}(r_t(\theta), 1-\epsilon, 1+\epsilon)\hat{A}_t\right)\right]$$
- cost was $5 and $10 per run

$$
\begin{aligned}
\nabla_\theta J(\theta) &= \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T} \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, R(\tau)\right] \\
f(x) &= \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}
\end{aligned}
$$

```mermaid
graph LR
  Env -->|observation| Model
  Model -->|imagined rollouts| Policy
  Policy -->|action| Env
```

```mermaid
graph LR
  A -->|never closed B
```
"""

CONFIG = {
    "theme": {"name": "material", "font": False, "features": ["navigation.instant"],
              "palette": [
                  {"media": "(prefers-color-scheme: light)", "scheme": "default",
                   "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
                  {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                   "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}}]},
}


@pytest.fixture(scope="module")
def math_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("math-browser")
    write_site(root, {"index.md": "# Home\n\n[The note](rl/World models.md)\n", "rl/World models.md": NOTE},
               CONFIG)
    site = build_site(root)
    check_warnings(site)
    server = Server(site.out)
    yield server.origin + "/"
    server.stop()


def _outside(ctx) -> list[str]:
    asked: list[str] = []
    ctx.on("request", lambda request: asked.append(request.url)
           if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    return asked


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_math_and_a_diagram_show_in_light_and_dark(math_site, browser, scheme):
    ctx = context(browser, scheme=scheme)
    outside = _outside(ctx)
    page = ctx.new_page()
    page.goto(math_site + "rl/World%20models/")
    page.wait_for_selector(".pd-diagram.pd-diagram-drawn svg", timeout=20000)
    page.wait_for_selector(".pd-diagram.pd-diagram-failed", timeout=20000)
    page.evaluate("document.fonts.ready")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"math-ipad-{scheme}.png"), full_page=True, scale="css")
    facts = page.evaluate("""() => ({
      inline: document.querySelectorAll('article .katex').length,
      display: document.querySelectorAll('article .katex-display').length,
      font: document.fonts.check('16px KaTeX_Main') && [...document.fonts].some(f => f.family === 'KaTeX_Main'
                                                                                  && f.status === 'loaded'),
      theme: document.querySelector('.pd-diagram-drawn').dataset.pdTheme,
      message: document.querySelector('.pd-diagram-failed .pd-diagram-message').innerText,
      source: document.querySelector('.pd-diagram-failed .pd-diagram-source').innerText,
      sourceShown: document.querySelector('.pd-diagram-failed .pd-diagram-source').offsetHeight > 0,
      drawnSourceHidden: document.querySelector('.pd-diagram-drawn .pd-diagram-source').offsetHeight === 0,
      wide: document.documentElement.scrollWidth > window.innerWidth,
    })""")
    ctx.close()
    assert facts["inline"] == 5 and facts["display"] == 2  # 3 inline, 2 displayed (each has a .katex)
    assert facts["font"], "KaTeX's fonts did not load"
    assert facts["theme"] == ("dark" if scheme == "dark" else "default")
    assert facts["message"].startswith("This diagram could not be drawn:") and "\n" not in facts["message"]
    assert "never closed B" in facts["source"] and facts["sourceShown"] and facts["drawnSourceHidden"]
    assert not facts["wide"], "the page scrolls sideways"
    assert not outside, f"requests to other hosts: {outside}"


def test_palette_toggle_redraws_the_diagram_and_instant_navigation_draws_it(math_site, browser):
    ctx = context(browser, scheme="light")
    outside = _outside(ctx)
    page = ctx.new_page()
    page.goto(math_site)
    page.wait_for_load_state("networkidle")
    page.locator("article a", has_text="The note").first.tap()  # instant navigation: no full page load
    page.wait_for_selector(".pd-diagram-drawn svg", timeout=20000)
    assert page.evaluate("document.querySelector('.pd-diagram-drawn').dataset.pdTheme") == "default"
    page.locator("label.md-header__button[title='Switch to dark mode']").first.tap()
    page.wait_for_function("document.querySelector('.pd-diagram-drawn').dataset.pdTheme === 'dark'", timeout=20000)
    page.screenshot(path=str(SHOTS / "math-ipad-toggled-dark.png"), full_page=True, scale="css")
    assert page.locator("article .katex").count() == 5
    ctx.close()
    assert not outside, f"requests to other hosts: {outside}"
