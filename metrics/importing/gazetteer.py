"""A real deployment starts here: an empty *real* database built from a village gazetteer.

The file lists villages and communities (code, name, township, county code, kind, lon, lat,
area type; official 12-digit codes). Province, prefectures, counties and their boundaries come
from the shipped geodata (:func:`metrics.regions.load_gazetteer`); the file supplies the
townships and villages. A database that already holds observations is refused (simulated or
real): its figures belong to the villages of its own gazetteer.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from geodata import clean_village_name, village_kind
from metrics import regions, rollup, schema, store
from metrics.errors import RejectedError
from metrics.importing import publish, uploads
from metrics.importing.layouts import GAZETTEER
from metrics.importing.pipeline import ImportResult
from metrics.importing.problems import Problem, ordered
from metrics.importing.read import FileProblem, read
from metrics.importing.validate import Checked, check_file, has_errors


def init_from_gazetteer(
    db_path: str | os.PathLike[str],
    data: bytes,
    filename: str,
    *,
    province: str = "630000",
    sheet: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
    overwrite: bool = False,
) -> ImportResult:
    """Create (or re-create, while it holds no observations) a real database from a gazetteer.

    Parameters
    ----------
    db_path
        The database file (created if missing).
    data
        The gazetteer file's bytes (CSV or XLSX).
    filename
        Its name.
    province
        Province code whose shipped boundaries and counties are used.
    sheet
        XLSX sheet to read.
    user
        Who imports (default: the operating-system user).
    now
        The import time.
    overwrite
        Replace the regions of an existing database (one without observations).

    Returns
    -------
    ImportResult
        ``status`` ``published`` (``counts`` per level) or ``rejected`` with the problems.

    Raises
    ------
    RejectedError
        If the database already holds observations.
    DatabaseExistsError
        If the database exists and ``overwrite`` is false.

    """
    now = (now or datetime.now()).replace(microsecond=0)
    user = user or uploads.os_user()
    _refuse_if_data(db_path)
    if Path(db_path).exists() and not overwrite:
        raise store.DatabaseExistsError(db_path)
    upload = uploads.keep(db_path, data, filename, user=user, at=now, options={"kind": "gazetteer"})
    name = Path(filename).name
    result = ImportResult(
        name, "gazetteer", upload.manifest["sha256"], "rejected", upload=upload.folder
    )
    base = regions.load_gazetteer(province)
    try:
        table = read(data, filename, sheet, GAZETTEER.is_header)
    except FileProblem as err:
        result.problems = [Problem(err.code, name, err.row, None, None, err.value, *err.details)]
    else:
        checked = check_file(table, GAZETTEER, name, now.date())
        if checked.cells_checked:
            _check_codes(checked, base.counties["code"])
        result.problems = ordered(checked.problems)
        result.rows = len(checked.rows)
    if has_errors(result.problems):
        upload.update(status="rejected", errors=len(result.errors), warnings=len(result.warnings))
        return result
    gazetteer, area_types = _frames(checked.rows, base)

    def change(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        _refuse_if_observations(con, db_path)
        con.execute("DELETE FROM boundary")
        con.execute("DELETE FROM region")
        counts = regions.write_regions(con, province, gazetteer=gazetteer)
        con.register("_area_types", area_types)
        try:
            con.execute(
                "UPDATE region SET area_type = a.area_type FROM _area_types a "
                "WHERE region.code = a.code"
            )
        finally:
            con.unregister("_area_types")
        for key, value in {
            "simulated": "false",
            "province": province,
            "top_region": province,
        }.items():
            schema.set_meta(con, key, value)
        batch_id = publish.next_batch(con)
        publish.record_batch(
            con,
            batch_id,
            "gazetteer",
            at=now,
            user=user,
            rows=counts["village"],
            message=", ".join(f"{k}={v}" for k, v in counts.items()),
            filename=filename,
            sha256=upload.manifest["sha256"],
            stored_path=uploads.stored_path(db_path, upload),
        )
        rollup.rebuild(con)
        return counts | {"batch_id": batch_id}

    counts = store.publish(db_path, change, create=True)
    result.status, result.batch_id = "published", counts.pop("batch_id")
    result.counts = counts
    result.villages = counts.get("village", 0)
    upload.update(status="published", batch_id=result.batch_id, counts=counts)
    return result


def _refuse_if_data(db_path: str | os.PathLike[str]) -> None:
    if not Path(db_path).exists():
        return
    reader = store.Reader(db_path)
    try:
        held = reader.scalar("SELECT count(*) FROM (SELECT 1 FROM observation LIMIT 1)")
    finally:
        reader.close()
    if held:
        raise _has_data(db_path)


def _refuse_if_observations(
    con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike[str]
) -> None:
    if con.execute("SELECT count(*) FROM (SELECT 1 FROM observation LIMIT 1)").fetchall()[0][0]:
        raise _has_data(db_path)


def _has_data(db_path: str | os.PathLike[str]) -> RejectedError:
    problem = Problem("has_data", Path(db_path).name, value=str(db_path))
    return RejectedError(problem.text("zh"), problem.text("en"))


def _check_codes(checked: Checked, counties: pd.Series) -> None:
    rows = checked.rows
    for field in ("code", "township_code"):
        if field in rows:
            values = rows[field]
            bad = values.notna() & ~values.str.fullmatch(r"[0-9]{12}").fillna(False)
            checked.add("bad_code", field, bad, values)
            rows[field] = values.mask(bad)
    county = rows["county_code"]
    unknown = county.notna() & ~county.isin(counties)
    checked.add("unknown_county", "county_code", unknown, county, str(counties.iloc[0]))
    county = county.mask(unknown)
    for field in ("code", "township_code"):
        if field in rows:
            outside = rows[field].notna() & county.notna() & (rows[field].str.slice(0, 6) != county)
            checked.add("code_county_mismatch", field, outside, rows[field], county)


def _frames(rows: pd.DataFrame, base: regions.Gazetteer) -> tuple[regions.Gazetteer, pd.DataFrame]:
    """The gazetteer to write, and the villages whose area type the file sets.

    Province, prefectures and counties are the shipped ones; townships and villages the file's.
    """
    township_code = rows["code"].str.slice(0, 9) + "000"
    if "township_code" in rows:
        township_code = rows["township_code"].fillna(township_code)
    lon = rows.get("lon", pd.Series(float("nan"), index=rows.index)).astype(float)
    lat = rows.get("lat", pd.Series(float("nan"), index=rows.index)).astype(float)
    names = rows["name"].astype(object)
    kind = rows.get("kind", pd.Series(None, index=rows.index, dtype=object)).astype(object)
    villages = pd.DataFrame(
        {
            "code": rows["code"].astype(object),
            "name": names.map(clean_village_name),
            "name_original": names,
            "kind": kind.fillna(names.map(village_kind)),
            "township_code": township_code.astype(object),
            "township_name": rows["township"].astype(object),
            "county_code": rows["county_code"].astype(object),
            "lon": lon,
            "lat": lat,
            "position_approximate": lon.isna() | lat.isna(),
        }
    ).reset_index(drop=True)
    townships = (
        villages.groupby("township_code", sort=True)
        .agg(
            name=("township_name", "first"),
            county_code=("county_code", "first"),
            lon=("lon", "mean"),
            lat=("lat", "mean"),
        )
        .reset_index()
        .rename(columns={"township_code": "code"})
        .assign(name_original=lambda t: t["name"], position_approximate=True)
    )
    gazetteer = regions.Gazetteer(
        province=base.province,
        prefectures=base.prefectures,
        counties=base.counties,
        townships=townships,
        villages=villages,
    )
    area = rows.get("area_type", pd.Series(None, index=rows.index, dtype=object))
    area_types = pd.DataFrame({"code": rows["code"], "area_type": area}).dropna()
    return gazetteer, area_types.astype(object).reset_index(drop=True)
