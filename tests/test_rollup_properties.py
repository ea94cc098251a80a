"""Property tests: the root total is the sum of every 本级 value; input order changes nothing."""

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store_builders import add_submission, make_ws

amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=10**6)


@st.composite
def trees(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    parents = [None] + [draw(st.integers(min_value=0, max_value=k - 1)) for k in range(1, n)]
    units = [(f"U{k}", f"单位{k}", None if p is None else f"U{p}") for k, p in enumerate(parents)]
    subs = []
    for k in range(n):
        if draw(st.booleans()):
            vals = {}
            if draw(st.booleans()):
                vals["legal_lessons"] = draw(counts)
            if draw(st.booleans()):
                vals["aid_amount"] = draw(amounts)
            if draw(st.booleans()):  # parts of 五好达标率, sometimes only one of them
                vals["org_total"] = draw(st.integers(min_value=0, max_value=500))
            if draw(st.booleans()):
                vals["org_wuhao"] = draw(st.integers(min_value=0, max_value=500))
            subs.append((f"U{k}", "本级", vals))
        if draw(st.integers(0, 3)) == 0:  # a 汇总 return: compared, never added
            subs.append((f"U{k}", "汇总", {"legal_lessons": draw(counts), "aid_amount": draw(amounts)}))
    return units, subs


_BASE = []


@pytest.fixture(scope="module", autouse=True)
def _base(tmp_path_factory):
    _BASE.append(tmp_path_factory.mktemp("prop"))
    yield
    _BASE.clear()


def build(units, subs):
    ws = make_ws(_BASE[0] / f"w{len(list(_BASE[0].iterdir()))}", units)
    for unit, scope, vals in subs:
        add_submission(ws, unit, 2018, vals, scope=scope)
    return ws


def model_own(units, subs) -> dict:
    """Each unit's own figures as the rules say, computed the slow way: its 本级 return; else, for a
    unit without subordinates or whose subordinates all sent nothing, its 汇总; else, when every unit below it reported, 汇总 − Σ below
    (where not negative)."""
    children = {code: [c for c, _, p in units if p == code] for code, _, _ in units}
    sent = {u for u, _, _ in subs}
    own_of, total = {}, {}

    def below(code):
        return [d for c in children[code] for d in [c, *below(c)]]

    for code, _, _ in reversed(units):  # children come after their parents: bottom-up
        own = [v for u, s, v in subs if u == code and s == "本级" and v]
        hz = [v for u, s, v in subs if u == code and s == "汇总"]
        mine = dict(own[0]) if own else {}
        if not own and hz and not children[code]:
            mine = dict(hz[0])
        elif not own and hz and not any(d in sent for d in below(code)):
            mine = dict(hz[0])  # nothing below reported: the 汇总 stands for the subtree (issue 20)
        elif not own and hz and all(d in sent for d in below(code)):
            for m, v in hz[0].items():
                kids = sum((total[c].get(m, Decimal(0)) for c in children[code]), Decimal(0))
                if Decimal(str(v)) - kids >= 0:
                    mine[m] = Decimal(str(v)) - kids
        own_of[code] = mine
        total[code] = {m: Decimal(str(mine[m])) if m in mine else Decimal(0) for m in ("legal_lessons", "aid_amount")}
        for c in children[code]:
            for m in total[code]:
                total[code][m] += total[c][m]
    return own_of


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_root_total_is_sum_of_all_own_values(case):
    units, subs = case
    ws = build(units, subs)
    r = ws.rollup(2018, compare=None)
    own_of = model_own(units, subs)
    for metric in ("legal_lessons", "aid_amount"):
        own = [Decimal(str(v[metric])) for v in own_of.values() if metric in v]
        expected = sum(own, Decimal(0)) if own else None
        assert r.value("U0", metric) == expected
        # every unit: own + children totals (汇总 returns of units with subordinates never added)
        tree = r.tree
        for i, code in enumerate(tree.codes):
            mine = [Decimal(str(own_of[code][metric]))] if metric in own_of[code] else []
            kids = [r.value(tree.codes[c], metric) for c in tree.children(i)]
            parts = mine + [k for k in kids if k is not None]
            assert r.value(code, metric) == (sum(parts, Decimal(0)) if parts else None)


def _by_key(result):
    """Records keyed by (unit, metric) for every unit of the tree (the row order follows the unit list)."""
    return {(rec["unit"], rec["metric"]): rec for rec in result.records_for(list(result.tree.codes))}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.randoms(use_true_random=False))
def test_insertion_order_changes_nothing(case, rnd):
    """Neither the order of the submissions nor the order of the unit list (which gives the tree's
    depth-first numbering) changes any figure."""
    units, subs = case
    shuffled = list(subs)
    rnd.shuffle(shuffled)
    shuffled_units = list(units)
    rnd.shuffle(shuffled_units)
    a = build(units, subs).rollup(2018, compare=None, level=None)
    b = build(units, shuffled).rollup(2018, compare=None, level=None)
    assert a.records() == b.records()
    for prefer in ("computed", "reported"):
        ra = build(units, subs).rollup(2018, compare=None, prefer=prefer)
        rb = build(shuffled_units, shuffled).rollup(2018, compare=None, prefer=prefer)
        ka, kb = _by_key(ra), _by_key(rb)
        assert ka.keys() == kb.keys()
        for key, rec in ka.items():
            other = kb[key]
            # the note names the first missing units in unit-list order: compare the rest of it
            names = ("note", "rate_left_out", "left_out_cur", "left_out_prev")
            assert {k: v for k, v in rec.items() if k not in names} == {k: v for k, v in other.items() if k not in names}, key
            assert _without_names(rec["note"]) == _without_names(other["note"]), key
            for k in names[1:]:  # the same units, named in unit-list order (the first 3 of a long list)
                if "等" not in rec[k]:
                    assert sorted(re.split("[、，的]", rec[k])) == sorted(re.split("[、，的]", other[k])), key
        for code in ra.tree.codes:
            missing_a = {ra.tree.codes[k] for k in ra.missing_under(ra.tree.index[code])}
            assert missing_a == {rb.tree.codes[k] for k in rb.missing_under(rb.tree.index[code])}
        assert sorted(ra.units) == sorted(rb.units)


def _without_names(note: str) -> str:
    import re

    return re.sub("（不含[^）]*）", "", re.sub("，未报 [^；]*", "", note))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_figures_for_are_the_records_cut_to_their_figures(case):
    """RollupResult.figures_for (the workbook's 汇总 rows below the listed level) equals records_for
    field by field, on every unit of any tree."""
    units, subs = case
    r = build(units, subs).rollup(2018, compare=None, level=None)
    codes = list(r.tree.codes)
    assert r.figures_for(codes) == [{k: rec[k] for k in r.FIGURE_FIELDS} for rec in r.records_for(codes)]
