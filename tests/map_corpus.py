"""A corpus of paper notes in several writing styles, to score the map on (tests/test_map_quality.py).

Six topic folders of deep-learning reading, each note written in one of three ways people write them:

- on a phone: `## Title`, a date line, then the same four template headings in every note (Key Points, Key
  Methods, Results, Thoughts) over terse, lowercase bullets; no summary, no tags;
- at a desk: `# Title`, long prose hard-wrapped at 80 columns, with the odd code block, formula and URL;
- with front matter: title, date, tags and a one-line summary, then `## Summary` / `## Notes` / `## Questions`.

The topics share words the way the field does (PPO and rewards in RLHF, multi-agent RL and LLM reasoning;
"policy" in robot manipulation and diffusion; message passing in graph networks and multi-agent communication),
every note says things any note says ("the paper", "results", "baseline", "ablation"), and one note in
three borrows a sentence from another topic: no one word sorts a note into its folder. Each note draws a few of its
topic's points at random, so two notes of a folder often share few words. The folders are the answer key; the map
never sees them.
"""

from __future__ import annotations

import datetime
import random
import textwrap

# Each topic: paper titles, then points (what a note says about such a paper, as a clause), then tags.
TOPICS: dict[str, dict[str, list[str]]] = {
    "rlhf": {
        "titles": ["Training language models to follow instructions with human feedback",
                   "Deep reinforcement learning from human preferences", "Direct Preference Optimization",
                   "Constitutional AI: Harmlessness from AI Feedback", "Scaling Laws for Reward Model Overoptimization",
                   "KTO: Model Alignment as Prospect Theoretic Optimization", "Learning to summarize from human feedback",
                   "RLAIF: Scaling Reinforcement Learning from Human Feedback with AI Feedback",
                   "Open Problems and Fundamental Limitations of RLHF", "SimPO: Simple Preference Optimization",
                   "Fine-Tuning Language Models from Human Preferences", "A General Theoretical Paradigm to Understand Learning from Human Preferences",
                   "Reward Model Ensembles Help Mitigate Overoptimization", "Iterative Preference Learning from Human Feedback",
                   "ORPO: Monolithic Preference Optimization without Reference Model",
                   "West-of-N: Synthetic Preference Generation", "Self-Rewarding Language Models"],
        "points": ["a reward model is trained on pairwise comparisons from human labelers",
                   "the Bradley-Terry model turns preferences into a scalar reward",
                   "PPO with a KL penalty that keeps the policy close to the SFT reference",
                   "reward hacking shows up as longer and longer answers",
                   "DPO skips the reward model and optimises the preference likelihood directly",
                   "the implicit reward is the log ratio between the policy and the reference model",
                   "annotators disagree on a third of the comparisons",
                   "helpfulness and harmlessness pull in opposite directions",
                   "overoptimization: the gold reward goes down while the proxy reward keeps going up",
                   "a constitution of written principles replaces most human labels",
                   "AI feedback from a larger model is almost as good as human raters",
                   "the chosen and rejected responses are sampled from the SFT model",
                   "length bias in the preference data explains part of the win rate",
                   "instruction tuning first, then preference tuning on top",
                   "win rate against the reference judged by GPT-4",
                   "ensembles of reward models reduce overoptimization",
                   "on-policy samples matter more than the exact loss",
                   "the beta parameter controls how far the model drifts from the reference",
                   "sycophancy gets worse after alignment with human preference data",
                   "red teaming prompts collected to find harmful completions"],
        "tags": ["rlhf", "alignment", "preferences", "reward-model", "llm"],
    },
    "diffusion": {
        "titles": ["Denoising Diffusion Probabilistic Models", "Score-Based Generative Modeling through SDEs",
                   "High-Resolution Image Synthesis with Latent Diffusion Models", "Classifier-Free Diffusion Guidance",
                   "Elucidating the Design Space of Diffusion-Based Generative Models", "Consistency Models",
                   "Denoising Diffusion Implicit Models", "Scalable Diffusion Models with Transformers",
                   "Flow Matching for Generative Modeling", "Improved Denoising Diffusion Probabilistic Models",
                   "Progressive Distillation for Fast Sampling of Diffusion Models",
                   "Photorealistic Text-to-Image Diffusion Models with Deep Language Understanding",
                   "Adding Conditional Control to Text-to-Image Diffusion Models", "Rectified Flow",
                   "Diffusion Models Beat GANs on Image Synthesis", "Video Diffusion Models",
                   "Stable Video Diffusion"],
        "points": ["the forward process adds gaussian noise over a thousand steps",
                   "the network predicts the noise and the loss is a simple mean squared error",
                   "sampling runs the reverse process from pure noise to an image",
                   "classifier-free guidance mixes conditional and unconditional predictions",
                   "the guidance scale trades sample diversity for fidelity",
                   "the U-Net denoiser works in the latent space of an autoencoder",
                   "FID on ImageNet at 256 by 256 is the headline number",
                   "DDIM sampling is deterministic and needs only fifty steps",
                   "the noise schedule matters more than the architecture",
                   "score matching and denoising turn out to be the same objective",
                   "distillation halves the number of sampling steps each round",
                   "a transformer backbone on latent patches replaces the U-Net",
                   "text conditioning through cross-attention to a frozen text encoder",
                   "flow matching regresses a velocity field along straight paths",
                   "the stochastic differential equation view unifies the samplers",
                   "consistency training maps any point of the trajectory to the clean image",
                   "generated images look sharp but the text in them is garbled",
                   "video frames are denoised jointly for temporal consistency",
                   "the variance schedule is learned instead of fixed",
                   "upsampling cascades go from 64 pixels to 1024"],
        "tags": ["diffusion", "generative-models", "images", "sampling"],
    },
    "robot_manipulation": {
        "titles": ["Diffusion Policy: Visuomotor Policy Learning via Action Diffusion",
                   "RT-2: Vision-Language-Action Models", "Learning Fine-Grained Bimanual Manipulation with Low-Cost Hardware",
                   "Open X-Embodiment: Robotic Learning Datasets and RT-X Models", "OpenVLA: An Open-Source Vision-Language-Action Model",
                   "Dexterous In-Hand Manipulation", "QT-Opt: Scalable Deep Reinforcement Learning for Vision-Based Grasping",
                   "Transporter Networks", "Mobile ALOHA", "Octo: An Open-Source Generalist Robot Policy",
                   "Do As I Can, Not As I Say", "CLIPort", "Learning Dexterous Manipulation from Human Videos",
                   "Universal Manipulation Interface", "pi0: A Vision-Language-Action Flow Model",
                   "Sim-to-Real Transfer of Robotic Control with Dynamics Randomization",
                   "Grasp Pose Detection in Point Clouds"],
        "points": ["teleoperated demonstrations with a leader-follower arm",
                   "the policy predicts chunks of future joint actions instead of one step",
                   "action chunking with a transformer reduces compounding errors",
                   "a wrist camera plus a third-person camera as observations",
                   "grasp success rate on unseen objects in clutter",
                   "domain randomization of friction and masses for sim-to-real transfer",
                   "the gripper has to reorient the object in hand before placing it",
                   "a vision-language-action model outputs discretized end-effector deltas",
                   "cross-embodiment data from many labs and robot types",
                   "the policy denoises an action sequence conditioned on images",
                   "real-world evaluation on a kitchen table with a Franka arm",
                   "tactile sensing at the fingertips helps with insertion tasks",
                   "behaviour cloning from a few hundred demonstrations per task",
                   "point clouds from a depth camera give 6-DoF grasp poses",
                   "the language instruction is grounded in the affordances the robot can actually execute",
                   "bimanual tasks like folding a shirt or opening a bag",
                   "low-cost hardware under twenty thousand dollars",
                   "a handheld gripper with a GoPro collects data without a robot",
                   "failure cases are mostly missed grasps and slipping objects",
                   "the controller runs at 50 Hz on the real robot"],
        "tags": ["robotics", "manipulation", "imitation-learning", "vla"],
    },
    "multi_agent_rl": {
        "titles": ["The Surprising Effectiveness of PPO in Cooperative Multi-Agent Games",
                   "QMIX: Monotonic Value Function Factorisation", "Counterfactual Multi-Agent Policy Gradients",
                   "Multi-Agent Actor-Critic for Mixed Cooperative-Competitive Environments",
                   "Emergent Tool Use From Multi-Agent Autocurricula", "Grandmaster level in StarCraft II",
                   "The StarCraft Multi-Agent Challenge", "Learning to Communicate with Deep Multi-Agent RL",
                   "Value-Decomposition Networks For Cooperative Multi-Agent Learning",
                   "Human-level play in the game of Diplomacy", "Open-ended learning leads to generally capable agents",
                   "Independent learning in cooperative games", "Off-Belief Learning",
                   "Other-Play for Zero-Shot Coordination", "JaxMARL", "Multi-Agent Transformer",
                   "Emergent Complexity via Multi-Agent Competition"],
        "points": ["centralised training with decentralised execution",
                   "each agent only sees a local observation of the map",
                   "the mixing network combines per-agent Q-values monotonically",
                   "credit assignment is the hard part when the team shares one reward",
                   "a counterfactual baseline marginalises out one agent's action",
                   "self-play leads to strategies that fail against new partners",
                   "zero-shot coordination with partners never seen in training",
                   "the SMAC micromanagement scenarios with marines and zealots",
                   "independent PPO with parameter sharing is a strong baseline",
                   "agents learn to communicate through a learned message channel",
                   "emergent behaviours like building forts and surfing on boxes",
                   "league training with exploiters to avoid strategy cycles",
                   "Hanabi needs theory of mind about the other players",
                   "non-stationarity because the other learners change their policies",
                   "the joint action space grows exponentially with the number of agents",
                   "population-based training keeps a diverse set of opponents",
                   "the centralised critic conditions on the global state",
                   "negotiation with natural language in Diplomacy",
                   "environments rewritten in JAX run thousands of games on one GPU",
                   "the win rate against the built-in AI is the metric"],
        "tags": ["marl", "multi-agent", "games", "coordination"],
    },
    "graph_networks": {
        "titles": ["Semi-Supervised Classification with Graph Convolutional Networks", "Graph Attention Networks",
                   "How Powerful are Graph Neural Networks?", "Inductive Representation Learning on Large Graphs",
                   "Neural Message Passing for Quantum Chemistry", "Relational inductive biases, deep learning, and graph networks",
                   "Graph Transformers: A Survey", "On the Bottleneck of Graph Neural Networks",
                   "Learning Mesh-Based Simulation with Graph Networks", "Principal Neighbourhood Aggregation",
                   "Equivariant Graph Neural Networks", "Open Graph Benchmark", "Deep Graph Infomax",
                   "Simplifying Graph Convolutional Networks", "Recipe for a General, Powerful, Scalable Graph Transformer",
                   "Understanding Oversquashing via Curvature", "GraphCast: Learning skillful medium-range global weather forecasting"],
        "points": ["nodes aggregate messages from their neighbours and update their state",
                   "the adjacency matrix is normalised by node degree",
                   "as expressive as the Weisfeiler-Lehman isomorphism test",
                   "oversmoothing: deep stacks make every node embedding look the same",
                   "oversquashing through bottleneck edges limits long-range interactions",
                   "attention coefficients weigh each edge of the neighbourhood",
                   "sampling a fixed number of neighbours makes it scale to millions of nodes",
                   "molecules as graphs with atoms as nodes and bonds as edges",
                   "positional encodings from Laplacian eigenvectors for graph transformers",
                   "node classification on Cora and citation networks",
                   "graph-level readout by summing the node features",
                   "E(3) equivariance for 3D coordinates of atoms",
                   "a mesh is a graph and the network learns the physics on it",
                   "heterophily: neighbours often have different labels",
                   "link prediction as a downstream task",
                   "rewiring the graph to add shortcut edges",
                   "the OGB leaderboards are the standard benchmark",
                   "spectral convolutions approximated with Chebyshev polynomials",
                   "multiple aggregators like mean, max and standard deviation",
                   "contrastive pretraining of node embeddings without labels"],
        "tags": ["gnn", "graphs", "geometric-deep-learning", "message-passing"],
    },
    "llm_reasoning": {
        "titles": ["Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
                   "Self-Consistency Improves Chain of Thought Reasoning", "Tree of Thoughts",
                   "Let's Verify Step by Step", "DeepSeek-R1: Incentivizing Reasoning Capability via RL",
                   "STaR: Bootstrapping Reasoning With Reasoning", "Large Language Models are Zero-Shot Reasoners",
                   "Training Verifiers to Solve Math Word Problems", "Scaling LLM Test-Time Compute Optimally",
                   "Program of Thoughts Prompting", "ReAct: Synergizing Reasoning and Acting in Language Models",
                   "Solving Quantitative Reasoning Problems with Language Models",
                   "DeepSeekMath: Pushing the Limits of Mathematical Reasoning", "Quiet-STaR", "s1: Simple test-time scaling",
                   "Spurious Rewards: Rethinking Training Signals in RLVR", "Reflexion: Language Agents with Verbal Reinforcement Learning"],
        "points": ["asking the model to think step by step before the final answer",
                   "sampling many chains of thought and taking a majority vote",
                   "a process reward model scores every intermediate step",
                   "outcome supervision only checks the final answer",
                   "accuracy on GSM8K and MATH goes up with more test-time compute",
                   "RL with verifiable rewards on math problems with GRPO instead of PPO",
                   "the response length grows during training and the model starts to backtrack",
                   "an aha moment where the model re-checks its own derivation",
                   "best-of-N with a verifier beats a bigger model",
                   "searching over a tree of partial thoughts with self-evaluation",
                   "bootstrapping on its own correct rationales and filtering the wrong ones",
                   "writing Python programs instead of doing arithmetic in text",
                   "interleaving reasoning traces with tool calls and observations",
                   "budget forcing: appending 'Wait' makes the model think longer",
                   "even random rewards improve Qwen on MATH, which says more about pretraining",
                   "distilling long reasoning traces into a small model",
                   "the model reflects on failed attempts in natural language",
                   "the group-relative advantage removes the value network",
                   "contamination of the benchmark questions in the pretraining data",
                   "olympiad-level geometry and competition math as the hard test set"],
        "tags": ["llm", "reasoning", "chain-of-thought", "rlvr"],
    },
}

# What any note may say, whatever it is about.
COMMON = ["the transformer is trained at scale with a lot of compute",
          "reinforcement learning is unstable here and needs many seeds", "the policy is evaluated on held-out tasks",
          "a language model is used somewhere in the pipeline", "they compare to a reward-free baseline",
          "the dataset is small and the benchmark saturated", "the attention layers are the expensive part",
          "sample efficiency is the main selling point", "generalisation to new tasks is weak",
          "pretraining on a large corpus first, then finetuning", "the evaluation uses human raters",
          "the paper is well written", "results are strong compared to the baseline", "the ablation study is thin",
          "code is released on GitHub", "I should reread the method section", "not sure the comparison is fair",
          "the experiments use a lot of compute", "interesting idea but the evaluation is limited",
          "the related work section is a good overview", "would like to see more seeds",
          "the main contribution is simple", "good paper for the reading group"]
PHONE_HEADINGS = ["Key Points", "Key Methods", "Results", "Thoughts"]
TYPOS = {"the": "teh", "results": "reuslts", "model": "modle", "training": "trainig", "because": "becuase"}
ASIDES = ["This is probably the paper everybody cites for this.", "I read it on the train, so maybe I missed things.",
          "The appendix has the details that matter.", "Figure 2 explains it better than the text does.",
          "I am still not convinced about the evaluation protocol."]


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    return " ".join(TYPOS.get(w, w) if rng.random() < 0.04 else w for w in words)


def _points(rng: random.Random, topic: str, n: int) -> list[str]:
    """`n` of the topic's points, each cut to a part of itself (no two notes say a point the same way), a
    remark any note could make, and now and then a point of another topic (notes compare across fields)."""
    own = [_part(rng, p) for p in rng.sample(TOPICS[topic]["points"], n)]
    own.insert(rng.randrange(len(own) + 1), rng.choice(COMMON))
    if rng.random() < 0.35:
        other = rng.choice([t for t in TOPICS if t != topic])
        own.insert(rng.randrange(len(own) + 1), _part(rng, rng.choice(TOPICS[other]["points"])))
    return own


def _part(rng: random.Random, point: str) -> str:
    words = point.split()
    if len(words) <= 5:
        return point
    size = rng.randint(max(4, len(words) // 2), len(words))
    start = rng.randrange(len(words) - size + 1)
    return " ".join(words[start:start + size])


def _date(day: datetime.date, rng: random.Random) -> str:
    return rng.choice([f"Date: {day.isoformat()}", f"Date read: {day.strftime('%B')} {day.day}, {day.year}",
                       f"Read on {day.strftime('%B')} {day.day}, {day.year}"])


def phone(rng: random.Random, topic: str, title: str, day: datetime.date) -> str:
    """Written on a phone: the template's headings, terse lowercase bullets, a typo here and there."""
    points = _points(rng, topic, rng.randint(2, 5))
    lines = [f"## {title}", _date(day, rng), ""]
    cut = [0, 2, len(points) - 1, len(points)]
    for heading, (a, b) in zip(PHONE_HEADINGS, zip(cut, cut[1:] + [len(points)])):
        lines.append(f"### {heading}")
        chunk = points[a:b] if heading != "Thoughts" else [rng.choice(COMMON)]
        lines += [f"- {_typo(rng, p)}" for p in chunk] or ["- "]
        lines.append("")
    return "\n".join(lines)


def prose(rng: random.Random, topic: str, title: str, day: datetime.date) -> str:
    """Written at a desk: paragraphs of sentences, hard-wrapped at 80 columns, code, math and a link."""
    points = _points(rng, topic, rng.randint(3, 7))
    sentences = [p[0].upper() + p[1:] + "." for p in points]
    sentences.insert(rng.randrange(len(sentences)), rng.choice(COMMON).capitalize() + ".")
    sentences.insert(0, rng.choice(["In this paper the authors argue that", "The idea:", "Main takeaway:",
                                    "What they do, in short:"]))
    sentences.append(rng.choice(ASIDES))
    half = len(sentences) // 2
    paragraphs = [" ".join(sentences[:half]), " ".join(sentences[half:])]
    lines = [f"# {title}", "", _date(day, rng), ""]
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 80) + [""]
    if rng.random() < 0.5:
        lines += ["The loss, as I understand it:", "", "$$\\mathcal{L}(\\theta) = \\mathbb{E}_{x}\\left[\\| f_\\theta(x) - y \\|^2\\right]$$", ""]
    if rng.random() < 0.4:
        lines += ["```python", "for batch in loader:", "    loss = model(batch).mean()", "    loss.backward()",
                  "```", ""]
    lines += [f"Paper: https://arxiv.org/abs/{2000 + rng.randrange(500)}.{rng.randrange(10000, 99999)}", ""]
    return "\n".join(lines)


def front_matter(rng: random.Random, topic: str, title: str, day: datetime.date) -> str:
    """Written with a template that has front matter: tags, a summary, then a few sections."""
    points = _points(rng, topic, rng.randint(3, 6))
    tags = rng.sample(TOPICS[topic]["tags"], 2)
    summary = points[0][0].upper() + points[0][1:] + "."
    lines = ["---", f'title: "{title}"', f"date: {day.isoformat()}", f"tags: [{', '.join(tags)}]",
             f'summary: "{summary}"', "---", "", "## Summary", "", " ".join(p.capitalize() + "." for p in points[1:3]),
             "", "## Notes", ""]
    lines += [f"* {p}" for p in points[3:]]
    lines += ["", "## Questions", "", f"- {rng.choice(COMMON)}?", ""]
    return "\n".join(lines)


STYLES = (phone, prose, front_matter)


def notes(per_topic: int = 15, seed: int = 3, start: int = 0) -> dict[str, str]:
    """{path under docs/: text}: `per_topic` notes in each of the six topic folders, the styles taking turns
    (numbered from `start`: a grown diary is the same seed with a later `start`, its first notes unchanged)."""
    out = {}
    first = datetime.date(2025, 2, 1)
    for t, topic in enumerate(TOPICS):
        titles = TOPICS[topic]["titles"]
        for i in range(start, start + per_topic):
            rng = random.Random(f"{seed}-{topic}-{i}")
            base = titles[i % len(titles)]
            title = base if i < len(titles) else f"{base} (revisited {i // len(titles)})"
            style = STYLES[(i + t) % len(STYLES)]
            day = first + datetime.timedelta(days=(i * len(TOPICS) + t) % 200)
            name = "".join(c for c in base.title() if c.isalnum())[:40] + (str(i) if i >= len(titles) else "")
            out[f"{topic}/{name}.md"] = style(rng, topic, title, day)
    return out


if __name__ == "__main__":  # write the corpus into a folder, to build it or read it
    import sys
    from pathlib import Path

    root = Path(sys.argv[1] if len(sys.argv) > 1 else "map_corpus")
    for path, text in notes().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
