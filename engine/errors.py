"""The one family of errors the engine raises; every message is fit to show a person."""


class EngineError(Exception):
    """Base class: the message says what went wrong in words a user understands."""


class ImageError(EngineError):
    """An input image that cannot be used (bad format, too big, broken, ...).

    `reason` sorts them for programs: "too_large" (bytes or pixels), "unsupported" (not an
    image we read), "damaged" (empty, truncated) or "bad_shape" (too small, too thin)."""

    def __init__(self, message: str, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason


class Cancelled(EngineError):
    """The caller asked to stop the run between two steps."""

    def __init__(self, message: str = "The style transfer was cancelled.") -> None:
        super().__init__(message)
