"""Every uploaded file is kept: its original bytes, sha256, who, when and what became of it.

Uploads live in the imports folder — the ``imports_dir`` setting, else ``imports/`` beside the
database — one folder per upload holding the bytes under their original name and a
``manifest.json``. The manifest is the record of rejected uploads (which cannot get an
``import_batch`` row without publishing); an accepted upload is also an ``import_batch`` row
whose ``stored_path`` points here. Databases in one folder share its imports folder, so each
manifest names the database file it was for (``database``), and a database lists only its own.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from metrics import settings

MANIFEST = "manifest.json"
# Manifests written before they named their database belong to the default database file.
LEGACY_DATABASE = Path(settings.BY_NAME["db"].default).name
_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\]")


def imports_dir(db_path: str | os.PathLike[str]) -> Path:
    """The folder that keeps uploads for the database at ``db_path``."""
    configured = settings.get("imports_dir")
    return Path(configured) if configured else Path(db_path).resolve().parent / "imports"


@dataclass
class Upload:
    """One kept upload: its folder and manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def path(self) -> Path:
        """The original bytes."""
        return self.folder / self.manifest["stored"]

    def read(self) -> bytes:
        """The original bytes, checked against the recorded sha256."""
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self.manifest["sha256"]:
            raise OSError(f"{self.path}: stored bytes do not match their sha256")
        return data

    def update(self, **fields: Any) -> None:
        """Change manifest fields and write it (atomically)."""
        self.manifest.update(fields)
        tmp = self.folder / f".{MANIFEST}.tmp"
        tmp.write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST)


def keep(
    db_path: str | os.PathLike[str],
    data: bytes,
    filename: str,
    *,
    user: str,
    at: datetime,
    **fields: Any,
) -> Upload:
    """Store ``data`` with a manifest (status ``received``) before anything else happens.

    Parameters
    ----------
    db_path
        The database the upload is for.
    data
        The bytes as received.
    filename
        The name the user gave the file (only its last part is used).
    user
        Who uploaded it.
    at
        When.
    **fields
        More manifest entries (kind, options).

    Returns
    -------
    Upload
        The kept upload; its manifest names the database file (``database``).

    """
    digest = hashlib.sha256(data).hexdigest()
    name = _UNSAFE_NAME.sub("_", Path(filename).name).strip(" .") or "upload"
    root = imports_dir(db_path)
    root.mkdir(parents=True, exist_ok=True)
    stem = f"{at:%Y%m%d-%H%M%S}-{digest[:12]}"
    folder = root / stem
    serial = 1
    while True:
        try:
            folder.mkdir()
            break
        except FileExistsError:
            serial += 1
            folder = root / f"{stem}-{serial}"
    (folder / name).write_bytes(data)
    upload = Upload(
        folder,
        {
            "filename": filename,
            "stored": name,
            "sha256": digest,
            "bytes": len(data),
            "user": user,
            "received_at": at.isoformat(timespec="seconds"),
            "status": "received",
            "database": Path(db_path).name,
            **fields,
        },
    )
    upload.update()
    return upload


def load(folder: str | os.PathLike[str]) -> Upload:
    """The upload kept in ``folder``."""
    folder = Path(folder)
    return Upload(folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8")))


def all_uploads(db_path: str | os.PathLike[str]) -> list[Upload]:
    """Every kept upload of the database, oldest first.

    Uploads kept for another database sharing the imports folder are left out; those whose
    manifest names no database count as the default database's (:data:`LEGACY_DATABASE`).
    """
    root = imports_dir(db_path)
    if not root.is_dir():
        return []
    name = Path(db_path).name
    kept = [load(f) for f in sorted(root.iterdir()) if (f / MANIFEST).is_file()]
    return [u for u in kept if u.manifest.get("database", LEGACY_DATABASE) == name]


def stored_path(db_path: str | os.PathLike[str], upload: Upload) -> str:
    """How ``import_batch.stored_path`` names the upload.

    Relative to the database's folder when it lies below it, else absolute.
    """
    base = Path(db_path).resolve().parent
    try:
        return str(upload.path.resolve().relative_to(base))
    except ValueError:
        return str(upload.path.resolve())


def os_user() -> str:
    """Name of the operating-system user (who runs the CLI)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
