"""Do LibreOffice's "Accept all" and "Reject all" give the texts ours do, on generated redlines?

Run from the repository root: .venv/bin/python bench/libreoffice_redlines.py [--cases 200]
Needs LibreOffice and its Python bridge, run by the system's Python
(apt-get install libreoffice-writer-nogui python3-uno); without them it says so and stops.
Each case is a clause whose heading and body change by random words, built as a Word redline
by charter/exports/redline.py. LibreOffice opens each file, accepts (then, from the file
again, rejects) every change, and its text is compared with what our reader gives, which the
tests check against the new and the old wording word for word. Each disagreement is counted
with the shape it has at the paragraph break where it happens.
"""

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charter.changes import amended  # noqa: E402
from charter.exports.redline import Redline, build_docx, change_blocks, read_text  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORDS = list("ab cd\n\t.,;-*#é数") + ["data", "the ", "\n\n", "- ", "We keep ", "safely. "]

# Run by the system's Python, which has LibreOffice's bridge: resolve every file both ways.
RESOLVE = r"""
import json, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
hidden = PropertyValue(); hidden.Name = "Hidden"; hidden.Value = True
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "--accept=socket,host=127.0.0.1,port=2083;urp;"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(120):
    try:
        context = resolver.resolve(
            "uno:socket,host=127.0.0.1,port=2083;urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.5)
manager = context.ServiceManager
desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
dispatch = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
texts = {}
for path in sys.argv[1:]:
    texts[path] = {}
    for how in ("Accept", "Reject"):
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
        frame = document.getCurrentController().getFrame()
        dispatch.executeDispatch(frame, ".uno:%sAllTrackedChanges" % how, "", 0, ())
        texts[path][how] = document.getText().getString()
        document.close(True)
try:
    desktop.terminate()
except Exception:
    pass
office.wait(timeout=60)
print(json.dumps(texts))
"""


def _wording(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(0, 25)))


def _shape_at_breaks(data: bytes) -> bool:
    """Tell whether a paragraph ends with inserted words and the next, in another style, begins
    with them (a heading and the text under it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(W + "body")
    paragraphs = body.findall(W + "p")

    def runs(p):
        return [child for child in p if child.tag in (W + "r", W + "ins", W + "del")]

    def style(p):
        return p.find(f"{W}pPr/{W}pStyle").get(W + "val")

    for first, second in zip(paragraphs, paragraphs[1:], strict=False):
        a, b = runs(first), runs(second)
        inserted = a and b and a[-1].tag == W + "ins" and b[0].tag == W + "ins"
        if inserted and style(first) != style(second):
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not (shutil.which("soffice") and Path(SYSTEM_PYTHON).exists()):
        sys.exit("No LibreOffice: apt-get install libreoffice-writer-nogui python3-uno")
    bridge = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if bridge.returncode:
        sys.exit("LibreOffice's Python bridge is missing: apt-get install python3-uno")

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        cases = {}
        for k in range(args.cases):
            old, new = _wording(rng), _wording(rng)
            heading = rng.choice(["Heading one", "Heading two", "Heading one more"])
            change = amended("Heading one", old, heading, new)
            data = build_docx(Redline(title="T", intro=("Intro",), blocks=change_blocks(change)))
            path = str(Path(folder) / f"case{k}.docx")
            Path(path).write_bytes(data)
            ours = {"Accept": read_text(data, accept=True), "Reject": read_text(data, accept=False)}
            cases[path] = (ours, _shape_at_breaks(data))
        result = subprocess.run(
            [SYSTEM_PYTHON, "-c", RESOLVE, *cases], capture_output=True, text=True, timeout=1800
        )
        theirs = json.loads(result.stdout)

    shaped = sum(shape for _, shape in cases.values())
    print(f"{args.cases} generated redlines; LibreOffice's text against ours:")
    for how in ("Accept", "Reject"):
        differ = [
            shape
            for path, (ours, shape) in cases.items()
            if ours[how].rstrip("\n") != theirs[path][how].rstrip("\n")
        ]
        print(
            f"  {how} all: {args.cases - len(differ)} agree, {len(differ)} differ "
            f"({sum(differ)} of them where a heading ends and its text begins with inserted "
            f"words; {shaped} files have that shape)"
        )


if __name__ == "__main__":
    main()
