"""Notes for the map's tests, written the way people write them (no front matter, `## Title` first, `Date read:
11th August 2025`, lists right after a paragraph line, Obsidian's 2-space nesting, the odd typo): a few topic
folders, each with words of its own, and filler words every note shares. The folders score the map; the map
never sees them (it reads the text alone)."""

from __future__ import annotations

import datetime
import random

TOPICS = {
    "robot_grasping": "gripper grasp dexterous fingers tactile manipulation arm pick place object pose camera "
                      "teleoperation joint torque contact suction bin clutter wrist trajectory calibration".split(),
    "protein_folding": "protein residue fold amino sequence structure alignment msa backbone sidechain "
                       "contact angstrom pdb docking ligand enzyme binding helix sheet evolutionary".split(),
    "speech_recognition": "speech audio phoneme acoustic waveform spectrogram speaker transcription asr "
                          "utterance accent microphone noise decoding ctc vocabulary lexicon pronunciation "
                          "prosody voice".split(),
    "graph_networks": "graph node edge message passing neighbourhood adjacency molecule citation "
                      "aggregation spectral laplacian subgraph oversmoothing readout heterophily isomorphism "
                      "walk link community".split(),
}
FILLER = ("we propose method results show baseline improves training data model performance experiments paper "
          "approach evaluation table figure setting compare strong simple works better across tasks large small "
          "scale analysis ablation study future limitations appendix benchmark dataset learning network deep "
          "layer loss objective parameters compute budget hours trained finetuned pretrained released code "
          "authors claim think interesting surprising noticed really quite").split()
TYPOS = {"performance": "perfromance", "experiments": "experimnets", "results": "reuslts", "training": "trainig"}


def ordinal(day: int) -> str:
    return f"{day}{'th' if 11 <= day % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def words(rng: random.Random, own: list[str], n: int, share: float) -> str:
    out = []
    for _ in range(n):
        word = rng.choice(own) if rng.random() < share else rng.choice(FILLER)
        out.append(TYPOS.get(word, word) if rng.random() < 0.03 else word)
    return " ".join(out)


def note(rng: random.Random, topic: str, i: int, day: datetime.date, earlier: list[str]) -> tuple[str, str]:
    """One note: a title, the day it was read, sections whose headings say what they are
    about, prose and lists, code and a URL; sometimes an inline tag, and a link to an earlier note of the topic."""
    own = TOPICS[topic]
    title = " ".join(w.capitalize() for w in rng.sample(own, 3)) + f" {i}"
    sentence = lambda n=14: words(rng, own, n, 0.3).capitalize() + "."  # noqa: E731
    heading = lambda: words(rng, own, rng.randint(3, 5), 0.5).capitalize()  # noqa: E731
    lines = [
        f"## {title}",
        "",
        f"Date read: {ordinal(day.day)} {day.strftime('%B %Y')}",
        "",
        "### Intro",
        sentence(20) + " " + sentence(),
        "Key points:",
        "- " + sentence(10),
        "  - " + sentence(8),
        "- " + sentence(10),
        "",
        "### Method",
        sentence(18) + " " + sentence(16),
        "",
        f"### {heading()}",
        sentence(16),
        "```python",
        "for step in range(10):  # code is not what a paper is about",
        "    loss = model(batch).mean()",
        "```",
        "See https://example.org/some/long/url?with=params for the code.",
    ]
    if earlier and rng.random() < 0.6:
        lines += ["", f"{words(rng, own, 8, 0.4).capitalize()}, as in [[{rng.choice(earlier)}]]."]
    if rng.random() < 0.3:
        lines += ["", f"#{rng.choice(own)}"]
    name = title.replace(" ", "")
    return f"{topic}/{name}.md", "\n".join(lines) + "\n"


def notes(per_topic: int, seed: int = 7, start: int = 0) -> dict[str, str]:
    """{path under docs/: text}: `per_topic` notes in each topic folder, numbered from `start` (more notes
    for a grown diary: the same seed and a later `start`)."""
    out = {}
    first = datetime.date(2025, 1, 1)
    for t, topic in enumerate(TOPICS):
        names: list[str] = []
        for i in range(start + per_topic):
            rng = random.Random(f"{seed}-{topic}-{i}")
            day = first + datetime.timedelta(days=(i * len(TOPICS) + t) % 180)
            path, text = note(rng, topic, i, day, names[-10:])
            names.append(path.split("/")[1][:-3])
            if i >= start:  # the same notes whatever `start` is: a grown diary keeps its old notes as they were
                out[path] = text
    return out
