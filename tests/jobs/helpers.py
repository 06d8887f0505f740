"""Job kinds for tests: a counter that records each completion, a slow one, one that fails."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from trienkhai.jobs.registry import JobContext, Registry


def _record(context: JobContext) -> dict[str, Any]:
    """Append this completion to the file named in the args; the file counts completions."""
    context.progress(0.5, "nửa chừng")
    path = Path(str(context.args["file"]))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{context.job_id}\n")
    return {"written": str(path)}


def _slow(context: JobContext) -> dict[str, Any]:
    """Sleep (a worker may be killed meanwhile), then record the completion."""
    Path(str(context.args["started"])).write_text("started", encoding="utf-8")
    time.sleep(float(context.args["seconds"]))
    return _record(context)


def _broken(context: JobContext) -> dict[str, Any]:
    """Always fail, naming the reason."""
    msg = f"nguồn {context.args.get('source', '?')} không trả lời"
    raise RuntimeError(msg)


def _fan_out(context: JobContext) -> dict[str, Any]:
    """Spawn `left` more fan-out jobs one by one (each spawns the next), then record itself."""
    left = int(context.args["left"])
    spawned = None
    if left > 0 and context.spawn is not None:
        spawned = context.spawn("test.fan_out", {**context.args, "left": left - 1})
    _record(context)
    return {"spawned": spawned}


def job_registry() -> Registry:
    """The test kinds."""
    registry = Registry()
    registry.add("test.record", _record)
    registry.add("test.slow", _slow)
    registry.add("test.broken", _broken)
    registry.add("test.fan_out", _fan_out)
    return registry
