"""Running a piece of a test as a user who may read a data folder but not write it.

Root ignores permission bits, so a test run as root drops to `nobody` in a forked child; the
child runs code already imported (the interpreter's files may be private to root).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

NOBODY = 65534


def as_reader_without_write_access(function: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """``function()`` in a child process that cannot write the data folder.

    Root ignores permission bits, so under root the child drops to `nobody` first; the result
    comes back through a pipe.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(reader)
        try:
            if os.geteuid() == 0:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            payload = json.dumps(function())
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            payload = json.dumps([-1, f"{type(error).__name__}: {error}"])
        with os.fdopen(writer, "w") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    code, output = json.loads(payload)
    return code, output
