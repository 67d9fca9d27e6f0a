"""Writers for records: JSON Lines and JSON (``exports.json``), the Parquet dataset, archives and diffs."""
