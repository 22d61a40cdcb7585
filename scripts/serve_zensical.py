"""`make serve ENGINE=zensical`: preview the site with Zensical, regenerating pages when the spec changes.

Zensical runs no MkDocs hooks, so this does for it what scripts/handbook/mkdocs_hook.py does for
`mkdocs serve`: it watches roadmap/ and the generator with watchfiles and runs `handbook build` on every
change. Zensical's own server sees the rewritten pages, rebuilds and reloads the browser. A spec with
problems is reported as `path:line:col: message`, and the last good pages stay up.

Usage: python scripts/serve_zensical.py [HOST:PORT]   (default 127.0.0.1:8000)
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from watchfiles import DefaultFilter, watch

ROOT = Path(__file__).resolve().parent.parent
WATCHED = [ROOT / "roadmap", ROOT / "scripts" / "handbook"]


def regenerate() -> bool:
    """Run the generator in a fresh process (so edits to the generator itself count); True when it passed."""
    proc = subprocess.run([sys.executable, "-m", "handbook.cli", "build"], cwd=ROOT, check=False)
    if proc.returncode != 0:
        print("serve: the roadmap spec has problems; still serving the last good pages", file=sys.stderr)
    return proc.returncode == 0


def main(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"
    # Stopped by a signal as by Ctrl-C: the `finally` below stops Zensical's server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not regenerate():
        return 1
    server = subprocess.Popen(
        [sys.executable, "-m", "zensical", "serve", "--dev-addr", address, "--config-file", "mkdocs.yml"],
        cwd=ROOT,
    )
    stopped = threading.Event()
    threading.Thread(target=lambda: (server.wait(), stopped.set()), daemon=True).start()
    try:
        for changes in watch(*WATCHED, watch_filter=DefaultFilter(), stop_event=stopped):
            names = sorted({Path(path).relative_to(ROOT).as_posix() for _, path in changes})
            print(f"serve: {', '.join(names)} changed; regenerating pages", file=sys.stderr)
            regenerate()
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    return server.returncode or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
