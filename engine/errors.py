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


class VideoError(ImageError):
    """A clip that cannot be used, found by probing it before any work starts.

    `reason` is stable, for programs: "too_large" (bytes or frame size), "unsupported" (not a
    clip we read), "damaged" (truncated, undecodable), "no_video" (sound only), "no_frames",
    "too_long" (duration or frame count), "bad_frame_rate" or "bad_shape" (too small, too
    thin). It is an ImageError so that every client already turns it into a refusal."""
