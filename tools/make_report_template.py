"""Write templates/报告模板.docx, the report's house layout with an empty body.

An office copies it, puts its letterhead in the header, changes fonts or margins in Word, and passes
it to ``gwstats report --template``. Run after changing gwstats/render/docx_layout.py:

    python tools/make_report_template.py
"""

from pathlib import Path

from gwstats.render.docx_layout import write_default_template

if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "templates" / "报告模板.docx"
    write_default_template(out)
    print(out)
