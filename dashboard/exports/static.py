"""PNG and SVG of plotly figures through kaleido and Debian Chromium — offline, one at a time.

One persistent headless Chromium (a :class:`kaleido.Kaleido` kept open on its own event-loop
thread, as ``kaleido.start_sync_server`` does) serves every export of the process: starting a
browser costs seconds, rendering in a running one a fraction of that (STACK.md). Unlike
kaleido's sync server, a failed start or a stuck render raises :class:`ExportError` after a
timeout instead of blocking forever, and the next export starts a fresh browser. A lock makes
exports take turns.

Offline by construction: MathJax is off (kaleido would load it from a CDN), plotly.js comes from
the plotly package, maps are SVG paths (no tiles, no glyphs), and Chromium resolves no host
name at all, so its own background services (update checks, sign-in, search preconnect) cannot
reach the network either.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import plotly.graph_objects as go

from metrics.errors import BurdenmapError

if TYPE_CHECKING:  # kaleido and choreographer load with the first export, not with the app
    import kaleido
    from choreographer.browsers.chromium import Chromium

T = TypeVar("T")
Format = Literal["png", "svg"]
FORMATS: tuple[Format, ...] = ("png", "svg")
SCALE = 2  # PNG pixels per layout pixel: print quality, ≥ 1200 px wide from 600 layout px
START_TIMEOUT_S, RENDER_TIMEOUT_S = 60, 90
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing leaves the machine
    "--disable-background-networking",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter",
    "--disable-default-apps",
    "--no-pings",
)


def _not_the_goodbye(record: logging.LogRecord) -> bool:
    """Drop choreographer's report of Chromium's closing ``{bye}`` (not JSON) at shutdown."""
    return "JSONError decoding message" not in record.getMessage()


class ExportError(BurdenmapError):
    """The export browser could not start or render (exit 1)."""


def _chromium(flags: Sequence[str]) -> type[Chromium]:
    """The Chromium class of choreographer with ``flags`` appended to its command line."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self) -> Sequence[str]:
            return [*super().get_cli(), *flags]

    return OfflineChromium


class _Browser:
    """A Kaleido (one Chromium tab) kept open on an event loop running in its own thread."""

    def __init__(self, flags: Sequence[str]) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()
        self.kaleido: kaleido.Kaleido | None = None
        try:
            self.call(self._open(flags), START_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    async def _open(self, flags: Sequence[str]) -> None:
        import kaleido

        browser = kaleido.Kaleido(
            mathjax=False, timeout=RENDER_TIMEOUT_S, browser_cls=_chromium(flags)
        )
        await browser.open()
        self.kaleido = browser

    def call(self, work: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``work`` on the browser's loop; wait at most ``timeout`` seconds."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    def close(self) -> None:
        """Close the browser (if it opened) and stop the loop."""
        logging.getLogger("choreographer.channels.pipe").addFilter(_not_the_goodbye)
        try:
            if self.kaleido is not None:
                self.call(self.kaleido.close(), START_TIMEOUT_S)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(START_TIMEOUT_S)


_lock = threading.Lock()
_browser: _Browser | None = None
_flags: tuple[str, ...] = ()


def start(extra_flags: Sequence[str] = ()) -> None:
    """Start the persistent browser unless it runs (``extra_flags``: e.g. a net log, for tests).

    Raises
    ------
    ExportError
        If Chromium cannot be started.

    """
    global _flags
    with _lock:
        _flags = tuple(extra_flags)
        _running()


def _running() -> _Browser:
    """The browser, started if needed (lock held)."""
    global _browser
    if _browser is None:
        try:
            _browser = _Browser([*OFFLINE_FLAGS, *_flags])
        except Exception as err:
            raise ExportError(
                f"无法启动导出用的 Chromium（{type(err).__name__}）；请运行 make system-packages。",
                f"Cannot start Chromium for exports ({type(err).__name__}); run "
                "`make system-packages`.",
            ) from err
    return _browser


def stop() -> None:
    """Stop the persistent browser (it also stops when the process exits)."""
    global _browser, _flags
    with _lock:
        _flags = ()
        if _browser is not None:
            browser, _browser = _browser, None
            browser.close()


atexit.register(stop)


def image(fig: go.Figure, fmt: Format = "png", *, scale: float = SCALE) -> bytes:
    """``fig`` rendered as PNG or SVG at its layout ``width`` × ``height``.

    PNG is ``scale`` times the layout size in pixels; SVG ignores ``scale``.

    Raises
    ------
    ExportError
        If the browser cannot start or the render fails or times out (the browser is then
        replaced at the next export).

    """
    global _browser
    if fmt not in FORMATS:
        raise ValueError(f"Invalid format {fmt!r}; must be one of {', '.join(FORMATS)}")
    opts = {"format": fmt, "width": fig.layout.width, "height": fig.layout.height, "scale": scale}
    with _lock:
        browser = _running()
        try:
            return browser.call(
                browser.kaleido.calc_fig(fig.to_dict(), opts=opts), RENDER_TIMEOUT_S
            )
        except Exception as err:
            _browser = None
            threading.Thread(target=browser.close, daemon=True).start()
            raise ExportError(
                f"导出图片失败（{type(err).__name__}）。",
                f"Rendering failed ({type(err).__name__}).",
            ) from err
