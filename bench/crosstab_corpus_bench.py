"""Import (dry run) of the foreign corpus (.xlsx/.xlsm/.ods of ../shared/corpus/foreign) into a workspace
with the default catalog and into one with a cross-tab catalog from `catalog from-template`: the
cross-tab reader must add no noticeable time and no findings on files that hold none of its tables.

    .venv/bin/python bench/crosstab_corpus_bench.py default
    .venv/bin/python bench/crosstab_corpus_bench.py xt
"""
import glob
import sys
import time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tests'))

def main(mode):
    from forms import crosstab_form
    from gwstats import Workspace
    from gwstats.model.catalog import load_default
    from gwstats.forms.from_form import derive, write_catalog
    base = Path('/tmp/gwstats-xt-corpus-' + mode); import shutil; shutil.rmtree(base, ignore_errors=True); base.mkdir()
    ws = Workspace.init(base/'ws', name='某县关工委', year=2019)
    if mode == 'xt':
        write_catalog(derive(crosstab_form(base/'f.xlsx'), load_default()), ws.root/'catalog.toml')
    (base/'u.csv').write_text('编码,单位名称,上级编码,别名\nX,某县关工委,,\nA,甲乡关工委,X,\n', encoding='utf-8')
    ws = Workspace.open(ws.root); ws.import_units(base/'u.csv')
    files = sorted(glob.glob(str(ROOT.parent / 'shared' / 'corpus' / 'foreign' / '*' / '*')))
    files = [f for f in files if f.endswith(('.xlsx', '.xlsm', '.ods'))]
    t = time.time()
    rep = ws.import_paths(files, dry_run=True, year=2019)
    print(mode, len(rep.files), rep.counts(), round(time.time()-t, 1), 's')
    xt = [f for f in rep.files if any(e.code.startswith('crosstab') for e in f.errors + f.warnings)]
    print('crosstab findings', len(xt), [(f.name, [e.message[:80] for e in f.errors+f.warnings if e.code.startswith('crosstab')]) for f in xt[:5]])

if __name__ == "__main__":
    main(sys.argv[1])
