"""Roles (issue #9 table): every role against every query path, allowed and refused, in metrics/.

The dashboard only hides what a role may not use; these tests prove that ``metrics/`` refuses it.
"""

import duckdb
import pytest
from burden_fixture import A1, A2, B1, V1, V4, A, B, P, build

from metrics import comparison, departments, discrepancy, flags, queries, sampling, store
from metrics.accounts import ROLES
from metrics.scope import RIGHTS, Scope, ScopeError, for_role

Q = "2024Q4"


@pytest.fixture(scope="module")
def db():
    return build(duckdb.connect())


@pytest.fixture(scope="module")
def users(db):
    return {
        "province": for_role(db, "province", None),
        "prefecture": for_role(db, "prefecture", A),
        "county": for_role(db, "county", A1),
        "inspector": for_role(db, "inspector", A1),
        "admin": for_role(db, "admin", A),
    }


def test_every_role_has_its_rights_and_labels():
    assert set(ROLES) | {None, "demo"} == set(RIGHTS)
    assert RIGHTS["demo"] == {"flags"}  # demo mode: look, change nothing, read no audit
    assert {r for r in ROLES if "import" in RIGHTS[r]} == {"admin"}
    assert {r for r in ROLES if "flags" in RIGHTS[r]} == {"province", "inspector"}
    assert {r for r in ROLES if "samples" in RIGHTS[r]} == {"inspector"}
    assert {r for r in ROLES if "audit" in RIGHTS[r]} == {"province", "admin"}


def test_scope_of_a_user_follows_the_assigned_region(db, users):
    assert users["province"].codes is None
    assert users["prefecture"] == Scope((A,), "prefecture", "prefecture", None, (P,))
    assert users["county"] == Scope((A1,), "county", "county", (A,), (A, P))
    assert for_role(db, "admin", P).codes is None  # the top region is everything
    assert hash(users["county"]) != hash(users["inspector"])  # part of every cache key


@pytest.mark.parametrize("role", ["prefecture", "county", "inspector", "admin"])
def test_regions_outside_the_assigned_one_are_refused(db, users, role):
    scope = users[role]
    for call in (
        lambda: queries.region_info(db, B, scope),
        lambda: queries.children(db, P, Q, "index", scope),
        lambda: queries.kpis(db, B1, Q, scope),
        lambda: queries.village_values(db, V4, scope),
        lambda: queries.trend(db, V4, "index", scope),
    ):
        with pytest.raises(ScopeError):
            call()
    assert queries.region_info(db, V1, scope).code == V1  # inside works


def test_province_sees_every_region(db, users):
    assert queries.region_info(db, V4, users["province"]).code == V4
    assert set(queries.children(db, P, Q, "index", users["province"])["code"]) == {A, B}


def test_trends_of_ancestors_are_context_but_not_siblings(db, users):
    county = users["county"]
    assert not queries.trend(db, P, "index", county).empty  # the province as context
    assert not queries.trend(db, A, "index", county).empty  # its prefecture
    for other in (A2, B, B1):
        with pytest.raises(ScopeError):
            queries.trend(db, other, "index", county)


def test_peers_show_the_aggregates_the_table_allows(db, users):
    def listed(role, level):
        found = comparison.peers(db, level, Q, "index", users[role])
        return set(found.table["code"])

    assert listed("prefecture", "prefecture") == {A, B}  # all prefectures as aggregates
    assert listed("prefecture", "county") == {A1, A2}  # in detail: its own counties only
    assert listed("county", "county") == {A1, A2}  # counties of its prefecture
    assert listed("county", "prefecture") == set()
    assert listed("inspector", "county") == {A1, A2, B1, "632622", "632623"}  # as province
    with pytest.raises(ScopeError):  # a peer is an aggregate, not a place to open
        comparison.breakdown(db, B, Q, users["prefecture"])


def test_departments_follow_the_role(db, users):
    assert not departments.league(db, Q, users["inspector"], region=A).empty  # as province
    assert departments.league(db, Q, users["inspector"], region=B).empty  # allowed, no items
    for role in ("prefecture", "county", "admin"):
        with pytest.raises(ScopeError):
            departments.league(db, Q, users[role], region=B)


@pytest.mark.parametrize("role", ["prefecture", "county", "admin"])
def test_flags_and_discrepancies_are_refused_without_the_right(db, users, role):
    for call in (
        lambda: flags.raised(db, Q, users[role], V1),
        lambda: flags.summary(db, Q, users[role]),
        lambda: discrepancy.by_region(db, Q, users[role]),
    ):
        with pytest.raises(ScopeError):
            call()


def test_inspector_flags_stay_in_the_assigned_scope(db, users):
    assert set(flags.summary(db, Q, users["inspector"])["county_code"]) == {A1}
    with pytest.raises(ScopeError):
        flags.raised(db, Q, users["inspector"], V4)


def test_only_inspectors_store_and_release_samples(tmp_path, users):
    path = tmp_path / "burden.duckdb"
    store.publish(path, build, create=True)
    reader = store.Reader(path)
    design = sampling.Design(n=2, seed=1, period=Q)
    drawn = sampling.sample(reader, design, users["province"])  # the province may look
    with pytest.raises(ScopeError):
        sampling.save(path, drawn, users["province"], user="leader")
    own = sampling.sample(
        reader, sampling.Design(n=2, seed=1, period=Q, within=A1), users["inspector"]
    )
    number = sampling.save(path, own, users["inspector"], user="inspector1")
    with pytest.raises(ScopeError):
        sampling.release(path, number, users["province"], user="leader")
    sampling.release(path, number, users["inspector"], user="inspector1")
    assert sampling.stored(reader, users["province"])["status"].tolist() == ["released"]
    for role in ("prefecture", "county", "admin"):
        with pytest.raises(ScopeError):
            sampling.sample(reader, design, users[role])


@pytest.mark.parametrize(("role", "allowed"), [(r, "audit" in RIGHTS[r]) for r in ROLES])
def test_audit_right(users, role, allowed):
    if allowed:
        users[role].need("audit")
    else:
        with pytest.raises(ScopeError):
            users[role].need("audit")
