"""Requests that arrive together, for the tests of what twenty at once do to a counter or a key."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

Item, Result = TypeVar("Item"), TypeVar("Result")


def at_once(send: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``send(item)`` for every item, each from a thread of its own, all released at the same moment; the
    results in the items' order."""
    items = list(items)
    start = threading.Barrier(len(items))

    def released(item):
        start.wait()
        return send(item)

    with ThreadPoolExecutor(len(items)) as pool:
        return list(pool.map(released, items))
