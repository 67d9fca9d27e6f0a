"""The Parquet dataset read back with pandas, DuckDB and pyarrow, reruns, and the writer's edges."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from exports.dataset import DatasetWriter, existing_versions, write_dataset, write_parquet_file
from exports.schemas import SCHEMA_VERSION, TABLES
from extractors.records import Credit

from .factories import all_records, kaze_tv, memories, person_page

DAY = date(2026, 11, 1)
MANIFEST = {
    "run_id": "run-1",
    "started_at": "2026-11-01T12:00:00Z",
    "finished_at": "2026-11-01T12:03:00Z",
    "counts": {"record": 5, "unchanged": 2, "not_title": 1, "failure": 1},
    "errors_per_field": {"runtime_minutes": 1},
    "pages_per_minute": 3.0,
    "settings": {"DOWNLOAD_DELAY": 1.0, "ROBOTSTXT_OBEY": True},
}

# How DuckDB names each Arrow type of the schemas (documented in docs/dataset.md).
_DUCKDB = {
    "string": "VARCHAR",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "date32[day]": "DATE",
    "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE",
}


def duckdb_type(type_: pa.DataType) -> str:
    """The DuckDB type an Arrow type of our schemas reads as (struct fields by name)."""
    if pa.types.is_map(type_):
        return f"MAP({duckdb_type(type_.key_type)}, {duckdb_type(type_.item_type)})"
    if pa.types.is_list(type_):
        return duckdb_type(type_.value_type) + "[]"
    if pa.types.is_struct(type_):
        return "STRUCT(" + ", ".join(f"{f.name} {duckdb_type(f.type)}" for f in type_) + ")"
    return _DUCKDB[str(type_)]


def duckdb_seen(type_: Any) -> str:
    """A DuckDB type as the same normalized text (struct field names unquoted)."""
    if type_.id == "map":
        (_, key), (_, value) = type_.children
        return f"MAP({duckdb_seen(key)}, {duckdb_seen(value)})"
    if type_.id == "list":
        return duckdb_seen(type_.children[0][1]) + "[]"
    if type_.id == "struct":
        return "STRUCT(" + ", ".join(f"{name} {duckdb_seen(t)}" for name, t in type_.children) + ")"
    return str(type_)


def duck(query: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of a DuckDB query with ``?`` parameters (paths and globs go in as parameters)."""
    return duckdb.execute(query, list(params)).fetchall()


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    with DatasetWriter(out, run_id="run-1", crawl_date=DAY) as writer:
        for record in all_records():
            writer.write(record)
        writer.write_failure(
            "https://www.animevice.com/missing/4000-9/",
            404,
            "HTTP 404",
            datetime(2026, 11, 1, 12, 1, tzinfo=UTC),
        )
        writer.write_failure(
            "https://www.animevice.com/slow/4000-8/",
            None,
            "timeout after 30 s",
            datetime(2026, 11, 1, 12, 2, tzinfo=UTC),
        )
        writer.write_run(MANIFEST)
    return out


def test_layout_one_file_per_table_and_run(dataset: Path) -> None:
    files = sorted(p.relative_to(dataset).as_posix() for p in dataset.rglob("*") if p.is_file())
    assert files == sorted(f"{table}/crawl_date=2026-11-01/part-run-1-0.parquet" for table in TABLES)


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_reads_back_with_its_types_in_pyarrow_pandas_and_duckdb(
    dataset: Path, table: str
) -> None:
    schema = TABLES[table]
    # pyarrow, hive partitioning: the documented types plus crawl_date (text) from the folder
    pa_table = ds.dataset(dataset / table, partitioning="hive").to_table()
    assert pa_table.schema.names == [*schema.names, "crawl_date"]
    for field in schema:
        assert pa_table.schema.field(field.name).type.equals(field.type), field.name
    assert set(pa_table.column("crawl_date").to_pylist()) == {"2026-11-01"}
    # the file metadata carries the schema version and the table name
    meta = pq.read_schema(next((dataset / table).rglob("*.parquet"))).metadata
    assert meta[b"titlecrawl.schema_version"] == str(SCHEMA_VERSION).encode()
    assert meta[b"titlecrawl.table"] == table.encode()

    # pandas: exact Arrow types with dtype_backend="pyarrow"; crawl_date as a category by default
    frame = pd.read_parquet(dataset / table, dtype_backend="pyarrow")
    assert len(frame) == pa_table.num_rows
    for field in schema:
        assert frame[field.name].dtype == pd.ArrowDtype(field.type), field.name
    assert isinstance(pd.read_parquet(dataset / table)["crawl_date"].dtype, pd.CategoricalDtype)

    # DuckDB over the glob: the same columns, DuckDB's types for them, crawl_date as a DATE
    # the analysts' one-liner: a glob over the table's folder, hive partitions detected by DuckDB
    rel = duckdb.sql(f"select * from '{dataset / table}/**/*.parquet'")  # noqa: S608 (a path we made)
    assert rel is not None
    seen = dict(zip(rel.columns, (duckdb_seen(t) for t in rel.types), strict=True))
    assert list(seen) == [*schema.names, "crawl_date"]
    assert seen == {**{f.name: duckdb_type(f.type) for f in schema}, "crawl_date": "DATE"}
    assert len(rel.fetchall()) == pa_table.num_rows


def test_titles_values_dates_precisions_and_nested_columns(dataset: Path) -> None:
    rows = {
        r["record_id"]: r for r in ds.dataset(dataset / "titles", partitioning="hive").to_table().to_pylist()
    }
    assert len(rows) == 5
    mem = rows["animevice:4000-1001"]
    assert (mem["first_release_date"], mem["first_release_date_iso"], mem["first_release_precision"]) == (
        date(1995, 12, 23),
        "1995-12-23",
        "day",
    )
    assert mem["fetched_at"] == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert mem["runtime_minutes"] == 115
    assert mem["run_id"] == "run-1"
    assert [n["name"] for n in mem["names"]] == ["Memories", "メモリーズ"]
    assert mem["releases"][1] == {
        "name": "メモリーズ",
        "region": None,
        "date": date(1995, 12, 23),
        "date_iso": "1995-12-23",
        "precision": "day",
        "raw": "Dec. 23, 1995",
        "note": None,
    }
    assert mem["credits"][0]["roles"] == ["director"]
    assert mem["lists"][0]["item_count"] == 334
    assert mem["top_editors"] == [
        {"name": "Obsidian609", "url": "https://www.animevice.com/profile/obsidian609/", "contributions": 41}
    ]

    # "2019-04" with month precision is stored as the first day of the month; the text is kept
    tv = rows["myanimelist:anime/9001"]
    assert (tv["first_release_date"], tv["first_release_date_iso"], tv["first_release_precision"]) == (
        date(2019, 4, 1),
        "2019-04",
        "month",
    )
    assert (tv["end_date"], tv["episodes"], tv["score_count"], tv["season"]) == (
        date(2019, 9, 20),
        24,
        60_116,
        "spring",
    )
    assert tv["genres"] == ["Drama", "Slice of Life"]

    film = rows["wikipedia:Harbor_Lights_(film)"]
    assert (film["first_release_date"], film["first_release_precision"]) == (date(1971, 1, 1), "year")
    assert (film["budget_amount"], film["budget_currency"], film["budget_raw"]) == (
        800_000.0,
        "USD",
        "$800,000",
    )
    assert film["box_office_amount"] == 98_000_000.0
    assert film["last_edited_at"] == datetime(2024, 5, 2, 10, 15, tzinfo=UTC)
    assert film["last_edited_at_iso"] == "2024-05-02T10:15:00Z"
    assert film["synopsis_sections"][1] == {"heading": "Plot", "text": "He stays."}
    assert film["extra"] == [{"label": "Distributed by", "value": "Harbor Pictures", "group": "infobox"}]

    game = rows["giantbomb:3030-555"]
    assert (game["first_release_date"], game["first_release_precision"]) == (date(2027, 1, 1), "quarter")
    assert game["status"] == "partial"
    assert game["errors"] == [{"field": "runtime_minutes", "kind": "unparsed", "message": "'a long evening'"}]
    assert rows["animevice:4040-101"]["status"] == "not_title"


def test_flat_tables_are_keyed_by_record_version_in_page_order(dataset: Path) -> None:
    credits = pd.read_parquet(dataset / "credits")
    mem = credits[credits["record_id"] == "animevice:4000-1001"]
    assert list(mem["person"]) == ["Tensai Okamura", "Katsuhiro Otomo", "Satoshi Kon"]
    assert list(mem["position"]) == [0, 1, 2]
    assert set(mem["content_sha256"]) == {"a" * 64}
    assert list(mem["roles"].map(list)) == [["director"], ["director"], ["screenplay"]]

    releases = pd.read_parquet(dataset / "releases")
    assert len(releases) == 2 + 1 + 1
    game = releases[releases["record_id"] == "giantbomb:3030-555"].iloc[0]
    assert (game["date"], game["date_iso"], game["precision"], game["raw"]) == (
        date(2027, 1, 1),
        "2027",
        "quarter",
        "Q3 2027",
    )

    characters = pd.read_parquet(dataset / "characters")
    assert list(characters["actor"].fillna("-")) == ["Saori Hayami", "Cristina Vee", "-"]
    assert list(characters["language"].fillna("-")) == ["ja", "en", "-"]

    genres = duck(
        "select kind, name from read_parquet(?) where record_id = 'myanimelist:anime/9001' order by kind, position",
        f"{dataset}/genres/**/*.parquet",
    )
    assert genres == [
        ("demographic", "Seinen"),
        ("genre", "Drama"),
        ("genre", "Slice of Life"),
        ("tag", "trains"),
        ("theme", "Travel"),
    ]
    aliases = pd.read_parquet(dataset / "aliases")
    assert list(aliases["alias"]) == list(memories().aliases)
    related = pd.read_parquet(dataset / "related")
    assert list(related["relation"]) == ["adaptation", "side story"]
    names = pd.read_parquet(dataset / "names")
    assert len(names) == 2 + 3
    lists = pd.read_parquet(dataset / "lists")
    assert lists["item_count"].tolist() == [334]


def test_failures_and_runs(dataset: Path) -> None:
    failures = pd.read_parquet(dataset / "failures", dtype_backend="pyarrow").sort_values("fetched_at")
    assert failures["url"].tolist() == [
        "https://www.animevice.com/missing/4000-9/",
        "https://www.animevice.com/slow/4000-8/",
    ]
    assert failures["status"].tolist()[0] == 404
    assert pd.isna(failures["status"].tolist()[1])
    assert failures["reason"].tolist() == ["HTTP 404", "timeout after 30 s"]

    runs = duck(
        "select run_id, started_at, finished_at, outcomes['record'], outcomes['failure'], "
        "errors_per_field['runtime_minutes'], pages_per_minute, settings_json, manifest_json "
        "from read_parquet(?)",
        f"{dataset}/runs/**/*.parquet",
    )
    assert len(runs) == 1
    run_id, started, finished, records, failed, runtime_errors, ppm, settings, manifest = runs[0]
    assert (run_id, records, failed, runtime_errors, ppm) == ("run-1", 5, 1, 1, 3.0)
    assert started.astimezone(UTC) == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert finished.astimezone(UTC) == datetime(2026, 11, 1, 12, 3, tzinfo=UTC)
    assert '"ROBOTSTXT_OBEY": true' in settings
    assert '"unchanged": 2' in manifest


def test_rerun_of_a_run_replaces_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        with DatasetWriter(out, run_id="nightly-1", crawl_date=DAY) as writer:
            for record in all_records():
                writer.write(record)
            writer.write_run({**MANIFEST, "run_id": "nightly-1"})
    assert duck("select count(*) from read_parquet(?)", f"{out}/titles/**/*.parquet") == [(5,)]
    assert duck("select count(*) from read_parquet(?)", f"{out}/credits/**/*.parquet") == [(3,)]
    assert len(pd.read_parquet(out / "runs")) == 1


def test_rerun_that_writes_fewer_files_removes_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = DatasetWriter(out, run_id="r", crawl_date=DAY, batch_size=1)
    first.rows_per_file = 2
    with first:
        for record in all_records():
            first.write(record)
    titles = sorted(p.name for p in (out / "titles").rglob("*.parquet"))
    assert titles == ["part-r-0.parquet", "part-r-1.parquet", "part-r-2.parquet"]
    # the same run again, now with one record (and on another day): only its files remain
    with DatasetWriter(out, run_id="r", crawl_date=date(2026, 11, 2)) as writer:
        writer.write(memories())
    assert sorted(p.relative_to(out / "titles").as_posix() for p in (out / "titles").rglob("*.parquet")) == [
        "crawl_date=2026-11-02/part-r-0.parquet"
    ]
    assert pd.read_parquet(out / "titles")["record_id"].tolist() == ["animevice:4000-1001"]
    assert pd.read_parquet(out / "credits")["person"].tolist() == [c.person for c in memories().credits]


def test_other_runs_add_partitions_and_a_part_prefix_keeps_writers_apart(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with DatasetWriter(out, run_id="r1", crawl_date=DAY) as writer:
        writer.write(memories())
    with DatasetWriter(out, run_id="r2", crawl_date=date(2026, 11, 2)) as writer:
        writer.write(memories(content_sha256="f" * 64, fetched_at=datetime(2026, 11, 2, tzinfo=UTC)))
    with DatasetWriter(out, run_id="r2", crawl_date=date(2026, 11, 2), part_prefix="worker2") as writer:
        writer.write(kaze_tv())
    frame = pd.read_parquet(out / "titles")
    assert sorted(zip(frame["run_id"], frame["crawl_date"].astype(str), frame["record_id"], strict=True)) == [
        ("r1", "2026-11-01", "animevice:4000-1001"),
        ("r2", "2026-11-02", "animevice:4000-1001"),
        ("r2", "2026-11-02", "myanimelist:anime/9001"),
    ]
    assert duck(
        "select count(*) from read_parquet(?) where crawl_date = DATE '2026-11-02'",
        f"{out}/titles/**/*.parquet",
    ) == [(2,)]


def test_row_groups_hold_at_most_batch_size_records(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with DatasetWriter(out, run_id="r", crawl_date=DAY, batch_size=2) as writer:
        for record in all_records():
            writer.write(record)
        assert not list(out.rglob("*.parquet")), "nothing is visible before close()"
        assert list(out.rglob(".part-r-0.parquet.tmp")), "rows stream to hidden temporary files"
    meta = pq.ParquetFile(next((out / "titles").rglob("*.parquet"))).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [2, 2, 1]
    assert not list(out.rglob("*.tmp"))


def test_an_error_inside_the_writer_block_keeps_the_rows_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writer = DatasetWriter(out, run_id="r", crawl_date=DAY)

    def crawl() -> None:
        with writer:
            writer.write(memories())
            raise RuntimeError("crawl broke")

    with pytest.raises(RuntimeError, match="crawl broke"):
        crawl()
    assert pd.read_parquet(out / "titles")["record_id"].tolist() == ["animevice:4000-1001"]
    assert not list(out.rglob("*.tmp"))


def test_values_of_the_wrong_type_are_nulled_with_a_warning_not_a_lost_batch(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    odd = memories(
        episodes="26 eps",
        credits=(
            Credit(person="A", roles=("director",)),
            "not a credit",
            Credit(person="B", roles="music"),  # type: ignore[arg-type]
        ),
        budget="$800,000",
        genres="Drama",
        themes=("Space", None),
        aliases=(None, "Magnetic Rose"),
        first_release_date=1995,
    )
    with caplog.at_level(logging.WARNING), DatasetWriter(out, run_id="r", crawl_date=DAY) as writer:
        writer.write(odd)  # type: ignore[arg-type]
        writer.write(kaze_tv())
    rows = {r["record_id"]: r for r in pq.read_table(out / "titles").to_pylist()}
    assert rows["animevice:4000-1001"]["episodes"] is None
    assert rows["myanimelist:anime/9001"]["episodes"] == 24
    assert [c["person"] for c in rows["animevice:4000-1001"]["credits"]] == ["A", None, "B"]
    assert [c["roles"] for c in rows["animevice:4000-1001"]["credits"]] == [["director"], None, None]
    assert rows["animevice:4000-1001"]["genres"] is None  # not ["D", "r", "a", "m", "a"]
    assert rows["animevice:4000-1001"]["themes"] == ["Space", None]
    # no alias / genre rows for the nulls; positions still count the record's list
    assert pd.read_parquet(out / "aliases")[["position", "alias"]].values.tolist() == [[1, "Magnetic Rose"]]
    genres = pd.read_parquet(out / "genres")
    assert genres[genres["record_id"] == "animevice:4000-1001"]["name"].tolist() == ["Space"]
    assert rows["animevice:4000-1001"]["budget_raw"] is None
    assert rows["animevice:4000-1001"]["first_release_date"] is None
    assert rows["animevice:4000-1001"]["runtime_minutes"] == 115
    assert "episodes" in caplog.text
    assert "credits" in caplog.text


def test_bad_arguments_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="run_id"):
        DatasetWriter(tmp_path, run_id="../etc")
    with pytest.raises(ValueError, match="part_prefix"):
        DatasetWriter(tmp_path, run_id="ok", part_prefix=".hidden")
    with pytest.raises(ValueError, match="part_prefix"):
        DatasetWriter(tmp_path, run_id="ok", part_prefix="part-2")  # '-' would make names ambiguous
    with pytest.raises(ValueError, match="batch_size"):
        DatasetWriter(tmp_path, run_id="ok", batch_size=0)
    writer = DatasetWriter(tmp_path / "out", run_id="ok")
    with pytest.raises(ValueError, match="record_id"):
        writer.write(memories(record_id=None))
    with pytest.raises(ValueError, match="URL"):
        writer.write_failure(None, 404, "HTTP 404", datetime(2026, 11, 1, tzinfo=UTC))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dict"):
        writer.write_run(["not", "a", "manifest"])  # type: ignore[arg-type]
    writer.close()
    assert not (tmp_path / "out").exists(), "a writer that wrote nothing leaves nothing"
    with pytest.raises(ValueError, match="closed"):
        writer.write(memories())


def test_write_dataset_skips_versions_already_in_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_dataset(all_records(), out, crawl_date=DAY) == 5
    assert write_dataset(all_records(), out, crawl_date=DAY) == 0
    changed = [memories(content_sha256="9" * 64), kaze_tv(extractor_version="myanimelist/2"), person_page()]
    assert write_dataset(changed, out, crawl_date=date(2026, 11, 2)) == 2
    frame = pd.read_parquet(out / "titles")
    assert len(frame) == 7
    assert not frame.duplicated(["record_id", "content_sha256", "extractor_version"]).any()
    assert len(existing_versions(out)) == 7
    assert len(frame["run_id"].unique()) == 2


def test_existing_versions_of_a_folder_with_no_whole_file_yet(tmp_path: Path) -> None:
    partition = tmp_path / "titles" / "crawl_date=2026-11-01"
    partition.mkdir(parents=True)
    (partition / ".part-r-0.parquet.tmp").write_bytes(b"PAR1 cut short by a crash")
    assert existing_versions(tmp_path) == set()
    assert write_dataset([memories()], tmp_path, crawl_date=DAY) == 1
    assert existing_versions(tmp_path) == {("animevice:4000-1001", "a" * 64, "whiskey/1")}
    run = pd.read_parquet(tmp_path / "titles")["run_id"].iloc[0]
    assert existing_versions(tmp_path, exclude_run=run) == set()


def test_write_parquet_file_is_the_titles_table_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "titles.parquet"
    assert write_parquet_file(iter(all_records()), path, batch_size=2) == 5
    table = pq.read_table(path)
    assert table.schema.equals(TABLES["titles"], check_metadata=False)
    assert table.column("record_id").to_pylist() == [r.record_id for r in all_records()]
    assert table.column("run_id").null_count == 5
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    assert duck("select first_release_date from read_parquet(?) where title = 'Memories'", str(path)) == [
        (date(1995, 12, 23),)
    ]
    assert write_parquet_file([], tmp_path / "empty.parquet") == 0
    assert pq.read_table(tmp_path / "empty.parquet").num_rows == 0


def test_write_parquet_file_leaves_no_file_when_the_records_fail(tmp_path: Path) -> None:
    def records() -> Any:
        yield memories()
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        write_parquet_file(records(), tmp_path / "x.parquet")
    assert list(tmp_path.iterdir()) == []
