"""Notes written the way Obsidian writes: every syntax renders, every problem is located, nothing prints raw."""

import re

IMAGE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6300010000050001")


def test_wikilink_forms(diary):
    site = diary({
        "rl/Source.md": """\
            ---
            title: Source
            ---
            Plain [[Target]], shown [[Target|as text]], with heading [[Target#Method Details]],
            both [[Target#Method Details|the method]], by path [[marl/Deep]], with .md [[target.md]],
            by alias [[PPO paper]], by title [[The Deep One]], own heading [[#Local Part]].

            ## Local Part

            `[[NotALink]]` in code stays.

            ```
            [[AlsoNot]]
            ```
            """,
        "rl/Target.md": "---\ntitle: Target Paper\naliases: [PPO paper]\n---\n## Method Details\n\ntext\n",
        "marl/Deep.md": "---\ntitle: The Deep One\n---\n",
    })
    page = site.content("rl/Source/")
    assert 'Plain <a href="../Target/">Target</a>' in page
    assert '<a href="../Target/">as text</a>' in page
    assert '<a href="../Target/#method-details">Target › Method Details</a>' in page
    assert '<a href="../Target/#method-details">the method</a>' in page
    assert '<a href="../../marl/Deep/">marl/Deep</a>' in page
    assert '<a href="../Target/">target.md</a>' in page
    assert '<a href="../Target/">PPO paper</a>' in page
    assert '<a href="../../marl/Deep/">The Deep One</a>' in page
    assert '<a href="#local-part">Local Part</a>' in page
    assert "<code>[[NotALink]]</code>" in page and "[[AlsoNot]]" in page


def test_wikilink_problems_are_located(diary):
    site = diary({
        "rl/Source.md": "---\ntitle: Source\n---\nfirst line\nsee [[Nowhere]] and [[Twin]]\nand [[Target#No Such]]\n"
                        "[[#Missing Here]]\n",
        "rl/Target.md": "---\ntitle: Target\n---\n## Real\n",
        "rl/Twin.md": "# Twin here\n",
        "marl/Twin.md": "# Twin there\n",
    }, expect=(
        r"rl/Source\.md:5: \[\[Nowhere\]\] matches no note \(by file name, alias or title\)",
        r"rl/Source\.md:5: \[\[Twin\]\] is ambiguous: marl/Twin\.md, rl/Twin\.md; rl/Twin\.md is used \(the closest\)",
        r"rl/Source\.md:6: \[\[Target#No Such\]\]: rl/Target\.md has no heading 'No Such'",
        r"rl/Source\.md:7: \[\[#Missing Here\]\] names no heading of this note",
    ))
    page = site.content("rl/Source/")
    assert '<span class="pd-unresolved" title="No note named Nowhere">Nowhere</span>' in page
    assert '<a href="../Twin/">Twin</a>' in page


def test_embeds_images_and_notes_with_cycles(diary):
    site = diary({
        "assets/figure one.png": IMAGE,
        "rl/Note.md": "---\ntitle: Note\n---\n![[figure one.png]]\n\n![[figure one.png|300]]\n\n"
                      "![[figure one.png|300x200]]\n\n![[Other#Part]]\n\n![[Loop]]\n",
        "rl/Other.md": "---\ntitle: Other\n---\n## Part\n\nEmbedded words.\n\n## Later\n\nNot embedded.\n",
        "rl/Loop.md": "---\ntitle: Loop\n---\nLoop text ![[Note]]\n",
    }, expect=(r"rl/Loop\.md:1: embedding rl/Note\.md here makes a cycle \(rl/Note\.md → rl/Loop\.md → rl/Note\.md\)",
               r"rl/Note\.md:9: embedding rl/Loop\.md here makes a cycle \(rl/Loop\.md → rl/Note\.md → rl/Loop\.md\)"))
    page = site.content("rl/Note/")
    assert '<img alt="" src="../../assets/figure%20one.png" />' in page
    assert '<img alt="" height="200" src="../../assets/figure%20one.png" width="300" />' in page
    assert 'src="../../assets/figure%20one.png" width="300" />' in page
    assert "Embedded words." in page and "Not embedded." not in page
    assert "Loop text" in page


def test_callouts_become_admonitions(diary):
    site = diary({
        "rl/Note.md": """\
            ---
            title: Note
            ---
            > [!note] A title
            > Some text.

            > [!tip]- Folded
            > Hidden until opened.

            > [!warning]+ Open
            > - item one
            > - item two

            > [!faq] Alias
            > > [!info] Nested
            > > Inner text.

            > [!highlight|rl] A lesson
            > The lesson's text.
            """,
    }, expect=(r"rl/Note\.md:18: highlight theme 'rl' is not one of the themes",))
    page = site.content("rl/Note/")
    assert '<div class="admonition note">\n<p class="admonition-title">A title</p>' in page
    assert '<details class="tip">\n<summary>Folded</summary>' in page
    assert '<details class="warning" open="open">\n<summary>Open</summary>' in page
    assert "<li>item one</li>" in page
    assert '<div class="admonition question">' in page and '<div class="admonition info">' in page
    assert '<div class="admonition highlight">' in page and "|rl" not in page


def test_marks_comments_inline_tags_and_lists(diary):
    site = diary({
        "rl/Note.md": """\
            # Phone Note

            This is ==very important== text. %%a private comment%% Visible.
            %%
            a comment over
            several lines
            %%
            Tags: #deep-rl and #rl/ppo, not #123, not `#code`, not https://x.org/#frag.

            - top
              - nested with two spaces
                - deeper
            - next
            \t- nested with a tab
            """,
    })
    page = site.content("rl/Phone Note/".replace("Phone Note", "Note"))
    assert "<mark>very important</mark>" in page
    assert "comment" not in page and "Visible." in page
    assert '<span class="pd-tag pd-inline-tag">#deep-rl</span>' in page
    assert '<span class="pd-tag pd-inline-tag">#rl/ppo</span>' in page
    assert "#123" in page and "<code>#code</code>" in page and "https://x.org/#frag" in page
    assert re.search(r"<li>top\s*<ul>\s*<li>nested with two spaces\s*<ul>\s*<li>deeper</li>", page)
    assert re.search(r"<li>next\s*<ul>\s*<li>nested with a tab</li>", page)
    assert (site.out / "tags" / "deep-rl" / "index.html").exists()
    assert "Phone Note" in site.content("tags/rl-ppo/")


def test_case_mismatch_and_double_encoding_are_reported(diary):
    diary({
        "rl/KinetixGeneralRL.md": "# Kinetix\n",
        "rl/Note.md": "# Note\n\nSee [Kinetix](KInetixGeneralRL.md).\n\nA dash\u00e2\u20ac\u201dhere and caf\u00c3\u00a9.\n",
    }, expect=(
        r"rl/Note\.md:3: link 'KInetixGeneralRL\.md' differs in case from the note 'KinetixGeneralRL\.md'.*"
        r"write 'KinetixGeneralRL\.md'",
        r"rl/Note\.md:5: 'â€”' looks double-encoded; it likely reads '—'",
        r"rl/Note\.md:5: 'Ã©' looks double-encoded; it likely reads 'é'",
        # MkDocs itself: the link does not resolve on a case-sensitive disk
        r"Doc file 'rl/Note\.md' contains a link 'KInetixGeneralRL\.md', but the target 'rl/KInetixGeneralRL\.md' is "
        r"not found",
    ))


def test_backlinks_and_related_papers_on_both_ends(diary):
    site = diary({
        "rl/A.md": "---\ntitle: Paper A\ntags: [x, y]\n---\nBuilds on [[B]] in a clever way.\n",
        "rl/B.md": "---\ntitle: Paper B\ntags: [x]\n---\nNothing here.\n",
        "rl/C.md": "---\ntitle: Paper C\ntags: [x, y]\n---\nAlso see [A](A.md).\n",
        "rl/D.md": "---\ntitle: Paper D\ntags: [z]\n---\n",
    })
    b = site.content("rl/B/")
    linked = re.search(r'<ul class="pd-backlinks">.*?</ul>', b, re.S).group(0)
    assert 'href="../A/">Paper A</a><blockquote class="pd-backlink-sentence">Builds on B in a clever way.' in linked
    a = site.content("rl/A/")
    assert 'href="../C/">Paper C</a><blockquote class="pd-backlink-sentence">Also see A.' in a
    related_a = re.findall(r'class="pd-related-link" href="[^"]+">([^<]+)<', a)
    assert related_a == ["Paper C", "Paper B"]  # C: two tags and a link; B: a tag and a link
    assert "Paper D" not in b


def test_a_note_written_only_in_obsidian(diary):
    site = diary({
        "assets/diagram.png": IMAGE,
        "rl/Target Paper.md": "---\ntitle: Target Paper\naliases: [TP]\n---\n## Results\n\nNumbers.\n",
        "rl/Phone.md": """\
            # Read on the train

            Compare with [[TP|the target]] and its [[Target Paper#Results]]. #on-the-go

            > [!tip] Why it matters
            > - It scales
            >   - even on phones

            - first
              - second level
            ![[diagram.png|200]]
            ==remember this== %%todo: refine%%
            """,
    })
    page = site.content("rl/Phone/")
    for raw in ("[[", "]]", "[!", "%%", "==", "&gt; [!"):
        assert raw not in page, raw
    assert '<a href="../Target%20Paper/">the target</a>' in page
    assert '<div class="admonition tip">' in page and "<mark>remember this</mark>" in page
    assert 'src="../../assets/diagram.png" width="200"' in page
    assert re.search(r"<li>first\s*<ul>\s*<li>second level", page)
    assert re.search(r"<li>It scales\s*<ul>\s*<li>even on phones</li>", page)
    assert "#on-the-go" in site.content("rl/Phone/") and (site.out / "tags" / "on-the-go").exists()


def test_notes_stay_as_written(diary, tmp_path):
    from conftest import tree
    text = "# N\n\n[[Missing]] ==x== %%y%% #tag\n"
    site = diary({"rl/N.md": text}, expect=(r"rl/N\.md:3: \[\[Missing\]\]",))
    assert (site.docs / "rl" / "N.md").read_text() == text
    before = tree(site.docs)
    assert before == tree(site.docs)
