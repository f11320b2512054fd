"""Everything the bot says, in one place (plain text, no markup, so nothing needs escaping)."""

from __future__ import annotations

from engine import Quality

# -- commands -------------------------------------------------------------------------------

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "What this bot does"),
    ("stylize", "Stylise a photo: /stylize <artist>"),
    ("artists", "Show the gallery of painters"),
    ("settings", "Quality, strength and colours"),
    ("cancel", "Stop what you're doing"),
    ("help", "How to use the bot"),
)

START = (
    "Hi! I repaint photos in the style of famous paintings. 🎨\n\n"
    "Send me a photo, then tap an artist, type a name, or send a second photo whose "
    "style I should copy.\n\n"
    "/artists – the gallery · /settings – quality and strength · /help – more"
)

HELP = (
    "How it works:\n"
    "1. Send a photo (or an image as a file, for full quality).\n"
    "2. Choose a style: tap an artist, type a name like “van gogh”, or send another photo "
    "to copy its style.\n"
    "3. Wait a little – I show the progress – and get your picture back.\n\n"
    "Under each result you can ask for another artist, more or less style, original "
    "colours or higher quality.\n\n"
    "In groups: reply to a photo with /stylize <artist>, or send a photo with the "
    "caption /stylize <artist>.\n\n"
    "/artists – the gallery\n/settings – your defaults\n/cancel – stop what you're doing"
)

# -- choosing a style -----------------------------------------------------------------------

CHOOSE_STYLE = (
    "Nice photo! Now pick a style: tap an artist, type a name, "
    "or send me a second photo whose style to copy."
)
CHOOSE_STYLE_GROUP = "{name}, pick a style for your photo:"
SEND_STYLE_PHOTO = "OK! Send me the photo whose style I should copy."
SEND_PHOTO_FIRST = "Send me a photo first, then choose an artist. /help explains more."
GROUP_USAGE = (
    "Reply to a photo with /stylize <artist> (e.g. /stylize munch), "
    "or send a photo with that caption."
)
NO_SUCH_ARTIST = "I don't know an artist called “{query}”. Did you mean one of these?"
WHICH_ONE = "“{query}” fits more than one painting – which one?"
DRAFT_CANCELLED = "Cancelled. Send a photo whenever you like."
NOTHING_TO_CANCEL = "There's nothing to cancel. Send me a photo to start."
MENU_EXPIRED = "This menu has expired, send a photo to start again."
MENU_NOT_YOURS = "This menu belongs to {name}."
BUTTONS_NOT_YOURS = "These buttons belong to {name}."
SOMEONE = "someone else"

# -- bad input ------------------------------------------------------------------------------

NOT_AN_IMAGE_FILE = (
    "That file doesn't look like an image. Please send a photo or a JPEG, PNG, WebP, BMP, "
    "GIF or TIFF file."
)
GIF_IS_A_VIDEO = (
    "Telegram turns GIFs into short videos, which I can't use. Please send a still photo "
    "(a screenshot of the frame you like works)."
)
FILE_TOO_BIG = (
    "That file is too big for me: I can download files of up to {mb} MB. "
    "Please send a smaller one, or send it as a photo."
)
NOT_A_STYLE = (
    "Stickers, videos and other files can't be used as a style. Send a photo, or tap an artist."
)
ONLY_PHOTOS = "I can only work with photos. Send me one, or see /help."
DOWNLOAD_FAILED = "I couldn't download your photo from Telegram. Please send it again."
SLOW_DOWN = (
    "You're sending messages faster than I can keep up with. I'll listen again in {seconds} s."
)
SOMETHING_WRONG = "Something went wrong on my side, sorry. Please try again in a moment."

# -- jobs -----------------------------------------------------------------------------------

QUEUED = "You're number {position} in the queue – I'll start soon."
STARTING = "Starting…"
PREPARING = "Getting your photos ready…"
PREVIEW_CAPTION = "👀 A first look – I'm refining it now…"
PROGRESS = "Stylising… {percent}%"
PROGRESS_ETA = "Stylising… {percent}% · about {eta} left"
FINISHING = "Almost done…"
ALREADY_BUSY = (
    "You already have a picture in the works. Wait for it, or cancel it to start a new one."
)
QUEUE_FULL = "I'm very busy right now and the queue is full. Please try again in a few minutes."
QUEUE_UNAVAILABLE = "I can't take new pictures right now. Please try again in a few minutes."
JOB_CANCELLED = "Cancelled. ✋ Send a photo whenever you like."
JOB_CANCELLED_NOTICE = "Cancelled"
JOB_GONE = "This job is already finished."
PAUSED_FOR_RESTART = (
    "⏸ I'm restarting. Your request is saved – I'll make your picture as soon as I'm back."
)
SEND_REFUSED = "Telegram wouldn't take the finished picture, sorry. Please try another photo."
RETRYING = "That didn't work on my side. I'll try again in a few seconds…"
GAVE_UP = (
    "Sorry, I couldn't make this picture – I tried {attempts} times. "
    "Please send it again a bit later."
)
STYLE_GONE = "That painting is no longer in my gallery. Please choose another one."
RESULT_GONE = "I no longer have that photo. Please send it again."
CAPTION = "{style} · {width}×{height} · {seconds}"
CAPTION_EARLY = " · stopped early (time limit)"
YOUR_STYLE = "your style"
FULL_QUALITY_FILE = "Full quality file"

# -- buttons --------------------------------------------------------------------------------

BTN_OWN_STYLE = "🖼 Use my own style photo"
BTN_CANCEL = "✖ Cancel"
BTN_PREV = "◀"
BTN_NEXT = "▶"
BTN_ALL_ARTISTS = "All artists"
BTN_ANOTHER_ARTIST = "🎨 Another artist"
BTN_STRONGER = "➕ Stronger"
BTN_WEAKER = "➖ Weaker"
BTN_KEEP_COLORS = "🌈 Keep colours"
BTN_STYLE_COLORS = "🌈 Painting's colours"
BTN_HIGHER_QUALITY = "✨ Higher quality"
BTN_DONE = "Done"

ALREADY_STRONGEST = "That's already the strongest style."
ALREADY_WEAKEST = "That's already the gentlest style."
ALREADY_BEST = "That's already the highest quality."

# -- gallery and settings -------------------------------------------------------------------

ARTISTS_CAPTION = "The gallery: send a photo, then tap or type one of these names."

SETTINGS = (
    "Your defaults for new pictures:\n"
    "Quality: {quality} · Style strength: {strength} · Original colours: {colors}\n\n"
    "Higher quality means bigger pictures and a longer wait."
)
SETTINGS_CLOSED = (
    "Settings saved: quality {quality}, strength {strength}, original colours {colors}."
)
QUALITY_NAMES: dict[Quality, str] = {
    "instant": "Instant",
    "fast": "Fast",
    "balanced": "Balanced",
    "high": "High",
}
STRENGTH_NAMES = {"weaker": "Weaker", "normal": "Normal", "stronger": "Stronger"}
ON, OFF = "on", "off"
CUSTOM = "custom"


def duration(seconds: float) -> str:
    """'8 s', '1 min 5 s' – friendly, never '0 s'."""
    seconds = max(1, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
