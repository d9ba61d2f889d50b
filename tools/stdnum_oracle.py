#!/usr/bin/env python3
"""Reference oracle for Ecuadorian cedula validation (python-stdnum).

Reads JSON lines from stdin, each a JSON string holding one raw input, and
writes one JSON line per input to stdout:

    {"ok": "<compacted number>"}   when stdnum.ec.ci.validate accepts it
    {"err": "<ExceptionClass>"}    e.g. InvalidLength, InvalidFormat,
                                   InvalidComponent, InvalidChecksum

Used by app/tests/cedula_differential.rs. Exits with status 2 and a message on
stderr if python-stdnum is not installed.
"""

import json
import sys


def main() -> int:
    try:
        import stdnum
        from stdnum.ec import ci
        from stdnum.exceptions import ValidationError
    except ImportError as exc:
        sys.stderr.write(
            'stdnum_oracle: python-stdnum is not installed '
            f'({exc}); install it with: pip install python-stdnum\n')
        return 2

    sys.stderr.write(
        f'stdnum_oracle: python-stdnum {stdnum.__version__}, '
        f'Python {sys.version.split()[0]}\n')
    sys.stderr.flush()

    validate = ci.validate
    dumps = json.dumps
    loads = json.loads
    out = sys.stdout
    # Split on b'\n' only: the inputs may contain U+2028, U+0085 and other
    # characters that text-mode line iteration or str.splitlines() would
    # treat as line breaks.
    for raw in sys.stdin.buffer:
        raw = raw.rstrip(b'\r\n')
        if not raw:
            continue
        value = loads(raw)
        try:
            result = {'ok': validate(value)}
        except ValidationError as exc:
            result = {'err': type(exc).__name__}
        except Exception as exc:  # noqa: BLE001 - reported as a mismatch
            result = {'err': f'Unexpected {type(exc).__name__}: {exc}'}
        out.write(dumps(result))
        out.write('\n')
    out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
