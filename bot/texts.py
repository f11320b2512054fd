"""Everything the bot says, in one place (plain text, no markup, so nothing needs escaping).

Each text is an English message id marked with `N_`; it is translated where it is shown,
with the reader's `Gettext` (bot/i18n.py): `t(texts.START)`. Names the page shows too come
from jobs/labels.py. The Russian catalogue, shared with the page, is
jobs/locale/ru/LC_MESSAGES/messages.po (`make messages` after changing anything here).
"""

from __future__ import annotations

from bot.i18n import N_, Gettext, Language, with_icon
from jobs import labels
from styles.catalog import StyleEntry

# -- commands -------------------------------------------------------------------------------

# (command, description): the menu in private chats, and in groups.
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("What this bot does")),
    ("artists", N_("Show the gallery of painters")),
    ("suggest", N_("Suggest a style for your photo")),
    ("settings", N_("Quality, strength and colours")),
    ("language", N_("Change the language")),
    ("cancel", N_("Stop what you're doing")),
    ("privacy", N_("What I keep about you")),
    ("forget", N_("Delete everything I keep about you")),
    ("help", N_("How to use the bot")),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("stylize", N_("Reply to a photo: /stylize <artist>")),
    ("suggest", N_("Reply to a photo: suggest a style")),
    ("artists", N_("Show the gallery of painters")),
    ("cancel", N_("Stop what you're doing")),
    ("help", N_("How to use the bot")),
)
COMMANDS = PRIVATE_COMMANDS  # the menu of chats without their own (the default scope)

DESCRIPTION = N_(
    "I repaint your photos in the style of famous paintings: Van Gogh, Monet, Hokusai, "
    "Klimt and more, or any picture whose style you send me. Send a photo to start."
)
SHORT_DESCRIPTION = N_("Your photos, repainted in the style of famous paintings.")

START = N_(
    "Hi! I repaint photos in the style of famous paintings. 🎨\n\n"
    "Send me a photo, then tap an artist, type a name, or send a second photo whose "
    "style I should copy.\n\n"
    "/artists – the gallery · /settings – quality and strength · /help – more"
)

HELP = N_(
    "How it works:\n"
    "1. Send a photo (or an image as a file, for full quality).\n"
    "2. Choose a style: tap an artist, type a name like “van gogh”, or send another photo "
    "to copy its style. An album of two photos works too: your photo, then the style.\n"
    "3. Wait a little – I show the progress – and get your picture back.\n\n"
    "Videos, GIFs and round video notes of up to {seconds} s work too: send one instead of "
    "the photo and you get a painted clip back.\n\n"
    "Under each result you can ask for another artist, more or less style, original "
    "colours or higher quality.\n\n"
    "In groups: reply to a photo with /stylize <artist>, or send a photo with the "
    "caption /stylize <artist>. In any chat, type @{bot} and a name to share a painting.\n\n"
    "/artists – the gallery\n/settings – your defaults\n/language – English or Russian\n"
    "/privacy – what I keep\n/cancel – stop what you're doing"
)

# -- language -------------------------------------------------------------------------------

CHOOSE_LANGUAGE = N_("Choose the language I speak to you in:")
LANGUAGE_SET = N_("OK, I'll speak English from now on.")
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ru": "Русский"}  # never translated

# -- choosing a style -----------------------------------------------------------------------

CHOOSE_STYLE = N_(
    "Nice photo! Now pick a style: tap an artist, type a name, "
    "or send me a second photo whose style to copy."
)
CHOOSE_STYLE_GROUP = N_("{name}, pick a style for your photo:")
SEND_STYLE_PHOTO = N_("OK! Send me the photo whose style I should copy.")
SEND_STYLE_PHOTO_GROUP = N_("{name}, reply to this message with the photo whose style to copy.")
STYLE_PHOTO_PLACEHOLDER = N_("A photo whose style to copy")
SEND_PHOTO_FIRST = N_("Send me a photo first, then choose an artist. /help explains more.")
GROUP_USAGE = N_(
    "Reply to a photo with /stylize <artist> (e.g. /stylize munch), "
    "or send a photo with that caption."
)
PRIVATE_USAGE = N_(
    "Here you don't need /stylize: just send me a photo, then tap an artist, type a name "
    "(e.g. munch) or send a second photo whose style to copy. A photo captioned "
    "/stylize munch works too."
)
NO_SUCH_ARTIST = N_("I don't know an artist called “{query}”. Did you mean one of these?")
WHICH_ONE = N_("“{query}” fits more than one painting – which one?")
ARTIST_CHOSEN = N_("{style} it is. Now send me the photo to repaint in this style.")
DRAFT_CANCELLED = N_("Cancelled. Send a photo whenever you like.")
NOTHING_TO_CANCEL = N_("There's nothing to cancel. Send me a photo to start.")
MENU_EXPIRED = N_("This menu has expired, send a photo to start again.")
MENU_NOT_YOURS = N_("This menu belongs to {name}.")
BUTTONS_NOT_YOURS = N_("These buttons belong to {name}.")
SOMEONE = N_("someone else")
ALBUM_TOO_BIG = N_(
    "An album works with exactly two photos: first the photo to repaint, then the one whose "
    "style to copy. This one has {count}. Please send two, or one photo and pick an artist."
)

# -- bad input ------------------------------------------------------------------------------

NOT_AN_IMAGE_FILE = N_(
    "That file doesn't look like an image. Please send a photo or a JPEG, PNG, WebP, BMP, "
    "GIF or TIFF file."
)
UNSUPPORTED_IMAGE = N_(
    "I can't read {kind} files. Please send the picture as a photo (Telegram converts it), "
    "or as a JPEG, PNG, WebP, BMP, GIF or TIFF file."
)
FILE_TOO_BIG = N_(
    "That file is too big for me: I can download files of up to {mb} MB. "
    "Please send a smaller one, or send it as a photo."
)
NOT_A_STYLE = N_(
    "Stickers, videos and other files can't be used as a style. Send a photo, or tap an artist."
)
ONLY_PHOTOS = N_("I can only work with photos and videos. Send me one, or see /help.")
DOWNLOAD_FAILED = N_("I couldn't download your photo from Telegram. Please send it again.")
SLOW_DOWN = N_(
    "You're sending messages faster than I can keep up with. I'll listen again in {seconds} s."
)
SOMETHING_WRONG = N_("Something went wrong on my side, sorry. Please try again in a moment.")

# -- how a job ended without a picture (by the job service's error code) ---------------------

BAD_IMAGE = N_(
    "I couldn't read that picture (it may be damaged, or too large or too small). "
    "Please try another photo."
)
# The engine's own sentences about a picture it can't read (engine/imageio.py), translated
# where they are fixed; one with numbers in it reads as BAD_IMAGE in other languages.
ENGINE_IMAGE_ERRORS = (
    N_("The file is empty."),
    N_("This image file is damaged or incomplete, so it can't be read."),
    N_("HEIC/HEIF images are not supported. Please send a JPEG, PNG, WebP, BMP, GIF or TIFF."),
    N_("That doesn't look like an image. Please send a JPEG, PNG, WebP, BMP, GIF or TIFF."),
)
INPUT_GONE = N_("Your photos for this request are gone. Please send them again.")
ENGINE_FAILED = N_("I couldn't paint this picture, sorry. Please try another photo or style.")

# -- jobs -----------------------------------------------------------------------------------

QUEUED = N_("You're number {position} in the queue – I'll start soon.")
STARTING = N_("Starting…")
PREPARING = N_("Getting your photos ready…")
PREVIEW_CAPTION = N_("👀 A first look – I'm refining it now…")
PROGRESS = N_("Stylising… {percent}%")
PROGRESS_ETA = N_("Stylising… {percent}% · about {eta} left")
FINISHING = N_("Almost done…")
ALREADY_BUSY = N_(
    "You already have a picture in the works. Wait for it, or cancel it to start a new one."
)
QUEUE_FULL = N_("I'm very busy right now and the queue is full. Please try again in a few minutes.")
QUEUE_UNAVAILABLE = N_("I can't take new pictures right now. Please try again in a few minutes.")
JOB_CANCELLED = N_("Cancelled. ✋ Send a photo whenever you like.")
JOB_CANCELLED_NOTICE = N_("Cancelled")
JOB_GONE = N_("This job is already finished.")
PAUSED_FOR_RESTART = N_(
    "⏸ I'm restarting. Your request is saved – I'll make your picture as soon as I'm back."
)
SEND_REFUSED = N_("Telegram wouldn't take the finished picture, sorry. Please try another photo.")
RETRYING = N_("That didn't work on my side. I'll try again in a few seconds…")
GAVE_UP = N_(
    "Sorry, I couldn't make this picture – I tried {attempts} times. "
    "Please send it again a bit later."
)
STYLE_GONE = N_("That painting is no longer in my gallery. Please choose another one.")
RESULT_GONE = N_("I no longer have that photo. Please send it again.")
FULL_QUALITY_GONE = N_(
    "The full-quality file has expired. Tap a button above to make the picture again."
)
CAPTION_DETAILS = N_("Quality: {quality} · strength {strength}% · {width}×{height} · {seconds}")
CAPTION_CLIP_DETAILS = N_(
    "Quality: {quality} · strength {strength}% · {width}×{height} · {length}, {frames} frames "
    "· made in {seconds}"
)
CAPTION_EARLY = N_(" · stopped early (time limit)")
CAPTION_KEEP_COLORS = N_(" · original colours")
SHARE_STYLE = N_("🔗 Try this style")
YOUR_STYLE = N_("your style")
WHOLE_GALLERY = N_("Trying every painting on your photo")
SUGGEST_CAPTION = N_(
    "Your photo in {n} styles, the best fits first; the top {top} are framed in gold.\n"
    "Tap a number to paint it in that style ({quality}), or let me surprise you."
)
SUGGESTIONS_GONE = N_("These suggestions have expired. Send the photo again.")
FULL_QUALITY_FILE = N_("Full quality file")

# -- buttons --------------------------------------------------------------------------------

BTN_OWN_STYLE = N_("🖼 Use my own style photo")
BTN_SHOW_PAINTINGS = N_("👁 Show paintings")
BTN_SUGGEST = with_icon("✨", labels.SUGGEST)
BTN_SURPRISE = with_icon("🎲", labels.SURPRISE)
BTN_CANCEL = with_icon("✖", labels.CANCEL)
BTN_PREV = "◀"
BTN_NEXT = "▶"
BTN_ALL_ARTISTS = N_("All artists")
BTN_ANOTHER_ARTIST = with_icon("🎨", labels.ANOTHER_ARTIST)
BTN_STRONGER = N_("➕ Stronger")
BTN_WEAKER = N_("➖ Weaker")
BTN_KEEP_COLORS = N_("🌈 Keep colours")
BTN_STYLE_COLORS = N_("🌈 Painting's colours")
BTN_HIGHER_QUALITY = N_("✨ Higher quality")
BTN_FULL_QUALITY = N_("⬇ Full quality")
BTN_TRY_STYLE = N_("🎨 Try this style")
BTN_DONE = N_("Done")

ALREADY_STRONGEST = N_("That's already the strongest style.")
ALREADY_WEAKEST = N_("That's already the gentlest style.")
ALREADY_BEST = N_("That's already the highest quality.")

# -- gallery, sharing and settings ----------------------------------------------------------

ARTISTS_CAPTION = N_("The gallery: send a photo, then tap or type one of these names.")
INLINE_NOTHING = N_("No painting by that name")
INLINE_HINT = N_("Type an artist: van gogh, monet, хокусай…")

SETTINGS = N_(
    "Your defaults for new pictures:\n"
    "Quality: {quality} · Style strength: {strength} · Original colours: {colors}\n\n"
    "Higher quality means bigger pictures and a longer wait."
)
SETTINGS_CLOSED = N_(
    "Settings saved: quality {quality}, strength {strength}, original colours {colors}."
)
QUALITY_NAMES = labels.QUALITY_NAMES
STRENGTH_NAMES = {"weaker": N_("Weaker"), "normal": N_("Normal"), "stronger": N_("Stronger")}
ON, OFF = N_("on"), N_("off")
CUSTOM = N_("custom")

# -- privacy --------------------------------------------------------------------------------

PRIVACY = N_(
    "What I keep, and for how long:\n"
    "• Your photos: only while your picture is being made; they are deleted when it is done.\n"
    "• Finished pictures: {ttl}, for the “Full quality” button; then deleted.\n"
    "• A photo waiting for its style: up to 1 h.\n"
    "• So that the buttons under a picture work later: Telegram's ids of your photos and "
    "your choices, up to 30 days.\n"
    "• Your settings and language: until you delete them.\n"
    "• My logs have no names, no chat ids and no pictures.\n\n"
    "/forget deletes all of it now."
)
FORGOTTEN = N_(
    "Done: I've deleted your settings, your waiting and finished requests and their files. "
    "Anything running was cancelled."
)

# -- clips (bot/clips.py) -----------------------------------------------------------------------

CLIP_NO_SUGGEST = N_("I can suggest styles for photos only. Choose an artist for your clip:")
CLIP_TOO_BIG = N_(
    "That clip is too big for me: I can download files of up to {mb} MB. "
    "Please trim it or send a shorter one."
)
CLIP_TOO_LONG = N_(
    "That clip is too long: I paint clips of up to {seconds} s. Please trim it and send it again."
)
CLIP_TOO_LARGE = N_(
    "That clip's picture is too large: I take videos of up to 1080p. Please send a smaller one."
)
CLIP_DAMAGED = N_(
    "I couldn't read that clip: it seems damaged or incomplete. Please send it again."
)
CLIP_UNSUPPORTED = N_("I can't read that kind of video. Please send an MP4, MOV, WebM or GIF.")
CLIP_NO_VIDEO = N_("That file has sound but no picture. Please send a video.")
CLIP_BAD_FRAME_RATE = N_(
    "That clip's frame rate is too unusual for me to paint it. Please send an ordinary video."
)
CLIP_BAD_SHAPE = N_(
    "That clip's picture is too small or too narrow for me. Please send another one."
)


# -- durations ------------------------------------------------------------------------------

SECONDS, MINUTES = labels.SECONDS, labels.MINUTES
MINUTES_SECONDS = N_("{m} min {s} s")


def duration(seconds: float, t: Gettext = str) -> str:
    """'8 s', '1 min 5 s' – friendly, never '0 s'."""
    whole = max(1, round(seconds))
    if whole < 60:
        return t(SECONDS).format(s=whole)
    minutes, rest = divmod(whole, 60)
    if rest:
        return t(MINUTES_SECONDS).format(m=minutes, s=rest)
    return t(MINUTES).format(m=minutes)


# -- the gallery's names --------------------------------------------------------------------


def painting_name(entry: StyleEntry, language: str) -> str:
    """'Vincent van Gogh — The Starry Night' (the artist alone where the title is a
    description), in the reader's language where the catalogue has it."""
    russian = language == "ru"
    artist = (entry.artist_ru or entry.artist) if russian else entry.artist
    title = (entry.title_ru or entry.title) if russian else entry.title
    return f"{artist} — {title}" if entry.title_verified else artist


def painting_label(entry: StyleEntry, language: str) -> str:
    """The full label with the year, e.g. for 'did you mean' buttons."""
    return entry.label_ru if language == "ru" else entry.label


def button_label(entry: StyleEntry, language: str) -> str:
    """A short button text: the artist, or the catalogue's `short` where one is set (in
    Russian `short_ru`, else the Russian artist's name)."""
    if language != "ru":
        return entry.short_label
    return entry.short_ru or entry.artist_ru or entry.short_label
