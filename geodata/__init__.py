"""Shapes and names: boundaries per level, the village gazetteer and how they were derived.

Run time reads only the files shipped under ``geodata/data/<province>/``; :func:`build` derives
them from the optional source packages.
"""

from geodata.area_types import AREA_TYPE_VALUES, AREA_TYPES, area_type
from geodata.boundaries import LEVELS, load_boundaries
from geodata.build import build
from geodata.crosswalk import GAZETTEER_COUNTIES, match_counties
from geodata.files import GeodataNotBuiltError
from geodata.gazetteer import load_townships, load_villages
from geodata.names import clean_township_name, clean_village_name, village_kind
from geodata.sources import SourceMissingError

__all__ = [
    "AREA_TYPES",
    "AREA_TYPE_VALUES",
    "GAZETTEER_COUNTIES",
    "LEVELS",
    "GeodataNotBuiltError",
    "SourceMissingError",
    "area_type",
    "build",
    "clean_township_name",
    "clean_village_name",
    "load_boundaries",
    "load_townships",
    "load_villages",
    "match_counties",
    "village_kind",
]
