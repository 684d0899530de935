"""A fingerprint of this deployment's templates and static files.

It goes into ETags so a deploy that changes how pages look invalidates cached copies;
it is the same in every worker because it derives from the files, not the start time.
"""

import hashlib
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in ("templates", "static", "wikiapp"):
        for path in sorted((_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".py"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


RELEASE = _fingerprint()
