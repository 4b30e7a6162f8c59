"""HTCDS v2.0 exchange: pure functions from files to records to the project's records, and back.

No Django here: the web app and the CLI are thin adapters (``npp.web.monitoring.exchange``,
``npp import`` / ``npp export``). The mapping is data (``mapping.yaml``) checked against the
standard's own field table (``htcds-v2-fields.json``, IOM's HTCDS v2.0, CC BY 4.0).
"""

from npp.exchange.formats import FORMATS, FileError, Table, format_of, read_file, write_records
from npp.exchange.mapping import Mapping, mapping
from npp.exchange.project import empty_project, from_project, to_project
from npp.exchange.records import Record, RowProblem, parse_row
from npp.exchange.standard import Field, Standard, standard

__all__ = [
    "FORMATS",
    "Field",
    "FileError",
    "Mapping",
    "Record",
    "RowProblem",
    "Standard",
    "Table",
    "empty_project",
    "format_of",
    "from_project",
    "mapping",
    "parse_row",
    "read_file",
    "standard",
    "to_project",
    "write_records",
]
