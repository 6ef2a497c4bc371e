"""Display options of the text renderer (strace's -s, -x, -v, -t, -T...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..filters import DisplayFilter

# -X's constant styles (render/flags.py applies them). Here, with the other
# display options, so that checking -X does not load the flag tables.
STYLES = ("abbrev", "raw", "verbose")
# What --decode-fds=SET can name (strace's words); -y is {"path"}, -yy all.
FD_DETAILS = ("path", "socket", "dev", "pidfd")


@dataclass(slots=True)
class TextOptions:
    string_limit: int = 32
    hex_strings: int = 0  # -x: 1 non-printable as \x, -xx: 2 everything, 3 non-ascii-chars
    always_show_pid: bool = False
    pid_column: bool = False  # strace -o FILE -f style: "PID  " on every line
    verbose: bool = False  # -v (-e abbrev=none): structs in full for every call
    # -X: how named constants are printed, "abbrev", "raw" or "verbose"
    # (render/flags.py holds the style while a batch is rendered).
    const_style: str = "abbrev"
    # -e abbrev=SET: the calls whose structs and arrays are abbreviated
    # (None: all of them, the default).
    abbrev: frozenset[str] | None = None
    # -e verbose=SET: the calls whose struct arguments are decoded (None: all
    # of them, the default); the others show those arguments' addresses.
    dereference: frozenset[str] | None = None
    # -e raw=SET: the calls printed undecoded, every argument and the return
    # value as a hex number.
    raw: frozenset[str] = frozenset()
    timestamps: int = 0  # -t 1, -tt 2, -ttt 3
    relative: bool = False  # -r
    syscall_times: bool = False  # -T
    # Digits after the point (s 0, ms 3, us 6, ns 9: strace's PRECISION):
    # None for -t/-tt/-ttt's own (0, 6, 6).
    timestamp_digits: int | None = None
    relative_digits: int = 6
    times_digits: int = 6
    syscall_numbers: bool = False  # -n
    instruction_pointer: bool = False  # -i: `[address] ` before each line
    columns: int = 40  # -a: the column where ` = ` of the return value starts
    quiet: frozenset[str] = frozenset()  # -q / -e quiet=: messages not printed
    # "[ Process PID=N runs in 32 bit mode. ]": strace writes these to
    # stderr only, never into an -o file.
    personality_notes: bool = True
    # The filters (-e status=, -P...): not the renderer's, the filter
    # stage's that text_pipeline (render/stage.py) puts in front of it.
    filter: DisplayFilter | None = field(default=None)
    # -e read= / -e write=: fds whose data is dumped in hex after the call
    # (render/dumps.py); None: no dump.
    dump_read: frozenset[int] | None = None
    dump_write: frozenset[int] | None = None
    # -y / -yy / --decode-fds=SET: what is shown of each fd's recorded path
    # and details (render/fds.py: "path", "socket", "dev", "pidfd"); None:
    # all that was recorded (`atrace tail`'s default).
    decode_fds: frozenset[str] | None = None


# Options that change only the text, not what is recorded: a msgpack trace
# keeps them in its header's `options` map (docs/FORMAT.md) so that `atrace
# tail` renders the trace as the tracer's own text would have been.
DISPLAY_OPTIONS = ("columns", "quiet", "const_style", "verbose", "abbrev", "dereference", "raw", "decode_fds",
                   "instruction_pointer")  # fmt: skip


def recorded_display(options: TextOptions) -> dict[str, object]:
    """The display options that differ from the defaults, for the header."""
    default = TextOptions()
    out: dict[str, object] = {}
    for name in DISPLAY_OPTIONS:
        value = getattr(options, name)
        if value != getattr(default, name):
            out[name] = sorted(value) if isinstance(value, frozenset) else value
    return out


def apply_recorded(options: TextOptions, header_options: object) -> None:
    """Take the header's display options where the reader gave none of its own
    (still at their defaults); junk values are ignored, not trusted."""
    if not isinstance(header_options, dict):
        return
    default = TextOptions()
    columns = header_options.get("columns")
    if options.columns == default.columns and isinstance(columns, int) and 0 <= columns <= 4096:
        options.columns = columns
    quiet = _names(header_options.get("quiet"))
    if not options.quiet and quiet is not None:
        options.quiet = quiet
    style = header_options.get("const_style")
    if options.const_style == default.const_style and style in ("raw", "verbose"):
        options.const_style = style
    for flag in ("verbose", "instruction_pointer"):
        if not getattr(options, flag) and header_options.get(flag) is True:
            setattr(options, flag, True)
    if not options.raw:
        options.raw = _names(header_options.get("raw")) or frozenset()
    for name in ("abbrev", "dereference", "decode_fds"):
        # Absent: every call (None); a list, even empty, is a set of calls.
        recorded = _names(header_options.get(name))
        if getattr(options, name) is None and recorded is not None:
            setattr(options, name, recorded)


def _names(value: object) -> frozenset[str] | None:
    """A list of strings from a header, else None."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return frozenset(value)
    return None
