"""The Textual calls the dashboard's parts make on the app that holds them, as a protocol.

A part (the saver, the triage keys, the feed importer, …) is handed the app, but names only
what it uses of it: :class:`AppCalls` here for Textual's side, with Textual's own signatures,
and the part's protocol (``Host``, :class:`sitrep.tui.host.Dashboard`) for the dashboard's
side. So no part imports the app, and the type checker still checks every call.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from textual.css.query import DOMQuery
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import AwaitMount, Widget

W = TypeVar("W", bound=Widget)


class AppCalls(Protocol):
    """What a part may call of its Textual App."""

    def notify(self, message: str, *, title: str = "",
               severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = True) -> None: ...

    def clear_notifications(self) -> None: ...

    def push_screen(self, screen: Screen[Any] | str,
                    callback: Callable[[Any], None] | None = None) -> Any: ...

    def post_message(self, message: Message) -> bool: ...

    def run_worker(self, work: Callable[[], Any], name: str | None = "",
                   group: str = "default", description: str = "",
                   exit_on_error: bool = True, start: bool = True, exclusive: bool = False,
                   thread: bool = False) -> Any: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any,
                         **kwargs: Any) -> Any: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any,
                           **kwargs: Any) -> bool: ...

    def query_one(self, selector: type[W]) -> W: ...

    def mount(self, *widgets: Widget, before: int | str | Widget | None = None,
              after: int | str | Widget | None = None) -> AwaitMount: ...

    def query(self, selector: str) -> DOMQuery[Widget]: ...

    def suspend(self) -> AbstractContextManager[None]: ...

