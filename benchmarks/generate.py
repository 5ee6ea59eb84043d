"""A seeded generator of realistic paper diaries: the same seed and size always give the same notes.

Each note is about 830 words: front matter (title, date, tags, authors, year, venue, arxiv, summary,
highlights and their theme), headings, lists (some nested with Obsidian's 2 spaces), a code block, a table,
wikilinks `[[...]]` and Markdown links to other notes. As in real collections, a third of the notes hold math
(a few inline formulas and one displayed, from formulas.py) and one in fifty a Mermaid diagram. Dates spread over
five and a half years.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
from pathlib import Path

from formulas import FORMULAS

# Formulas KaTeX typesets (formulas.py also holds a few it refuses, to measure engines with).
REFUSED = ("\\label", "\\eqref", "multline")
INLINE = [tex for tex, display in FORMULAS if not display and not any(r in tex for r in REFUSED)]
DISPLAYED = [tex for tex, display in FORMULAS if display and not any(r in tex for r in REFUSED)]
DIAGRAM = """```mermaid
graph LR
  Data[{a}] --> Model[{b}]
  Model -->|reward| Policy
  Policy -->|rollouts| Data
```
"""

TOPICS = ["LLM_reinforcement_learning", "Vision_Transformers", "Diffusion_Models", "Graph_Neural_Networks",
          "Efficient_Inference", "Interpretability", "Robotics_Learning", "Speech_and_Audio", "Optimisation"]
TAGS = ["transformers", "rlhf", "grpo", "diffusion", "attention", "scaling-laws", "distillation", "quantisation",
        "moe", "vision", "graphs", "robotics", "speech", "optimisers", "interpretability", "agents", "reasoning",
        "tokenisation", "long-context", "retrieval", "benchmarks", "data-curation", "rl", "self-supervised"]
FIRST = ["Ada", "Wei", "Sofia", "Ravi", "Noam", "Lena", "Kenji", "Amara", "Pierre", "Yuki", "Omar", "Ines",
         "Tomás", "Mei", "Jonas", "Priya", "Dmitri", "Chloé", "Hugo", "Zara"]
LAST = ["Vaswani", "Chen", "García", "Patel", "Shazeer", "Müller", "Tanaka", "Okafor", "Dubois", "Sato",
        "Haddad", "Ferreira", "Novak", "Zhang", "Berg", "Iyer", "Volkov", "Martin", "Silva", "Khan"]
THEMES = ["rl", "self-improvement", "pretraining", "robotics", "open-endedness", "marl"]  # mkdocs.yml's
VENUES = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "arXiv", "TMLR"]
TITLE_WORDS = ["Scaling", "Sparse", "Attention", "Reward", "Policy", "Diffusion", "Latent", "Token", "Entropy",
               "Mixture", "Experts", "Graph", "Contrastive", "Efficient", "Robust", "Causal", "Memory",
               "Retrieval", "Reasoning", "Alignment", "Preference", "Optimisation", "Vision", "Language",
               "Speech", "Agents", "Planning", "Distillation", "Quantised", "Adaptive", "Curriculum", "Verifier"]
WORDS = ("the model learns a policy over tokens with a reward from a verifier while the baseline uses "
         "supervised fine tuning on curated data and we observe that entropy collapses early in training "
         "unless the clipping ratio is relaxed which keeps exploration alive across long horizons the authors "
         "compare against strong baselines on math code and agentic benchmarks and report gains that grow "
         "with scale although the compute budget matters more than the architecture in most ablations "
         "gradient variance attention heads sparse experts routing load balance diffusion steps noise "
         "schedule latent space contrastive objective representation collapse calibration uncertainty "
         "inference cost memory bandwidth kernel fusion quantisation error distillation teacher student "
         "retrieval augmented context window position encoding rotary embeddings curriculum sampling").split()


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def plan(n: int, seed: int) -> list[dict]:
    """Titles, topics, names and dates of `n` papers, decided before any note is written (links need them)."""
    rng = random.Random(seed)
    start = datetime.date(2020, 1, 1)
    papers, seen = [], set()
    for i in range(n):
        while True:
            title = " ".join(rng.sample(TITLE_WORDS, rng.randint(3, 5)))
            if title not in seen:
                break
            title += f" {i}"
            if title not in seen:
                break
        seen.add(title)
        topic = TOPICS[i % len(TOPICS)]
        papers.append({
            "title": title, "topic": topic, "name": title,
            "date": start + datetime.timedelta(days=int(i * 2000 / max(n, 1)) + rng.randint(0, 1)),
            "arxiv": f"{20 + i % 6:02d}{1 + i % 12:02d}.{10000 + i:05d}",
            "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 6))],
            "tags": sorted(set(rng.sample(TAGS, rng.randint(2, 4)))),
        })
    return papers


def note(p: dict, papers: list[dict], rng: random.Random) -> str:
    others = rng.sample(papers, min(4, len(papers)))
    highlights = [sentence(rng, rng.randint(8, 14)) for _ in range(rng.randint(2, 4))]
    fm = {
        "title": p["title"], "date": p["date"].isoformat(), "tags": p["tags"], "authors": p["authors"],
        "year": p["date"].year, "venue": rng.choice(VENUES), "arxiv": p["arxiv"],
        "summary": sentence(rng, 18), "highlights": highlights,
        "theme": THEMES[TOPICS.index(p["topic"]) % len(THEMES)],  # where its lessons go on /highlights/
    }
    # JSON is YAML: quoting keeps arXiv ids strings and dates as written.
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fm.items())
    link = others[0]
    md_link = f"[{link['title']}](../{link['topic']}/{link['name']}.md)".replace(" ", "%20")
    md_link = f"[{link['title']}]" + md_link[md_link.index("]") + 1:]
    parts = [
        f"---\n{front}\n---\n",
        f"## Summary\n\n{paragraph(rng, 5)} See [[{others[1]['name']}]] and {md_link}.\n",
        f"## Method\n\n{paragraph(rng, 4)}\n" + (math(rng) if rng.random() < 1 / 3 else "")
        + (DIAGRAM.format(a=rng.choice(WORDS), b=rng.choice(WORDS)) if rng.random() < 1 / 50 else ""),
        "### Steps\n\n" + "\n".join(f"{i}. {sentence(rng)}" for i in range(1, 5)) + "\n",
        "- " + sentence(rng) + "\n  - " + sentence(rng) + "\n  - " + sentence(rng) + "\n- " + sentence(rng) + "\n",
        "```python\ndef loss(logp, old_logp, adv, eps=0.2):\n    ratio = (logp - old_logp).exp()\n"
        "    return -torch.min(ratio * adv, ratio.clamp(1 - eps, 1 + eps) * adv).mean()\n```\n",
        "## Results\n\n" + paragraph(rng, 4) + "\n\n| Benchmark | Baseline | Paper |\n|---|---|---|\n"
        + "\n".join(f"| {b} | {rng.randint(30, 70)}.{rng.randint(0, 9)} | {rng.randint(50, 90)}.{rng.randint(0, 9)} |"
                    for b in ("MATH", "GSM8K", "HumanEval", "MMLU")) + "\n",
        f"## Discussion\n\n{paragraph(rng, 5)}\n\n{paragraph(rng, 4)} Compare [[{others[2]['name']}]].\n",
        "## Takeaways\n\n" + "\n".join(f"- {h}" for h in highlights) + f"\n\n{paragraph(rng, 4)}\n",
        f"## Open questions\n\n{paragraph(rng, 4)}\n\n{paragraph(rng, 3)}\n",
    ]
    return "\n".join(parts)


def math(rng: random.Random) -> str:
    """A few inline formulas in a sentence, and one displayed, as notes pasted from papers have them."""
    rate = f"\\eta = {rng.randint(1, 9)} \\times 10^{{-{rng.randint(3, 6)}}}"
    inline = rng.sample(INLINE, rng.randint(2, 4)) + [rate]
    words = " ".join(f"{sentence(rng, rng.randint(3, 7))} ${tex}$" for tex in inline)
    return f"\n{words}.\n\n$$\n{rng.choice(DISPLAYED)}\n$$\n"


def generate(out: Path, n: int, seed: int = 1) -> list[dict]:
    """Write `n` notes under `out` (emptied first), one folder per topic; returns the plan."""
    if out.exists():
        shutil.rmtree(out)
    papers = plan(n, seed)
    rng = random.Random(seed + 1)
    for p in papers:
        path = out / p["topic"] / f"{p['name']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note(p, papers, rng), encoding="utf-8")
    return papers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    generate(args.out, args.n, args.seed)


if __name__ == "__main__":
    main()
