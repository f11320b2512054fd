"""Putting a request together: the content (a photo or a clip), then a style (a button, a
typed name, a second photo, or /stylize). Until a style is chosen the request is a draft
(bot/drafts.py), keyed by chat and user so that two people in one group never mix."""

from __future__ import annotations

from telegram import Message, Update, User

from bot import media, texts
from bot.drafts import Draft
from bot.handlers.albums import album_photo
from bot.handlers.common import (
    Context,
    Services,
    is_private,
    not_an_image,
    origin,
    services,
    speaking,
    usable,
)
from bot.handlers.menus import ask_for_style, choose_by_name
from bot.handlers.submit import submit
from bot.i18n import Language, gettext_for
from bot.models import Photo

# -- messages ---------------------------------------------------------------------------------


async def stylize_command(update: Update, context: Context) -> None:
    """/stylize [artist]: as a reply to a photo or a clip, in its caption, or after one."""
    message, user = origin(update)
    lang, t = await speaking(context, user)
    s = services(context)
    name = _command_argument(message, context.bot.username)
    if name is None:
        return  # "/stylize@SomeOtherBot" in a group
    replied = message.reply_to_message
    attached, content = media.image_of(message), media.content_of(replied)
    if attached is not None and content is not None and replied is not None:
        # A photo captioned /stylize, replying to the content photo: it is the style.
        for carrier, photo in ((replied, content), (message, attached)):
            if not await usable(carrier, photo, s.settings, t):
                return
        style_draft = _new_draft(message, user, content, replied.message_id, lang)
        await submit(context, s.drafts.start(style_draft), style_photo=attached)
        return
    draft = await _draft_for_command(message, user, s, lang)
    if draft is None:
        return
    if name:
        await choose_by_name(context, draft, name)
    else:
        await ask_for_style(context, draft)


async def suggest_command(update: Update, context: Context) -> None:
    """/suggest: as a reply to a photo, in a photo's caption, or after a photo (private)."""
    message, user = origin(update)
    lang, _ = await speaking(context, user)
    if _command_argument(message, context.bot.username) is None:
        return  # "/suggest@SomeOtherBot" in a group
    draft = await _draft_for_command(message, user, services(context), lang)
    if draft is not None and draft.content.clip:
        await message.reply_text(gettext_for(lang)(texts.CLIP_NO_SUGGEST))
        await ask_for_style(context, draft)
    elif draft is not None:
        await submit(context, draft)  # no style: suggestions


async def photo_received(update: Update, context: Context) -> None:
    """A photo, a clip or a file: the style of the pending request, or the content of a new
    one (a clip is never a style)."""
    message, user = origin(update)
    if message.media_group_id is not None and is_private(message):
        await album_photo(update, context)
        return
    lang, t = await speaking(context, user)
    s = services(context)
    photo = media.content_of(message)
    draft = s.drafts.get(message.chat_id, user.id)
    if draft is not None and draft.held and not draft.awaiting_photo:
        draft = None  # a refused request doesn't take the next photo as its style
    if draft is None and not is_private(message):
        # In groups only /stylize starts a request; a photo sent in reply to the bot
        # (the only kind it sees in privacy mode) gets a hint how.
        if _replies_to(message, context.bot.id):
            await message.reply_text(t(texts.GROUP_USAGE))
        return
    if draft is not None and photo is not None and photo.clip:
        await message.reply_text(t(texts.NOT_A_STYLE))
        return
    if not await usable(message, photo, s.settings, t) or photo is None:
        return
    if draft is not None:
        await submit(context, draft, style_photo=photo)
        return
    draft = s.drafts.start(_new_draft(message, user, photo, message.message_id, lang))
    picked = await s.store.picked(user.id)  # a painting chosen through a link
    if picked is not None and picked in s.catalog:
        await s.store.pick(user.id, None)
        await submit(context, draft, slug=picked)
        return
    await ask_for_style(context, draft)


async def artist_typed(update: Update, context: Context) -> None:
    message, user = origin(update)
    draft = services(context).drafts.get(message.chat_id, user.id)
    if draft is None:
        if is_private(message):
            _, t = await speaking(context, user)
            await message.reply_text(t(texts.SEND_PHOTO_FIRST))
        return
    await choose_by_name(context, draft, message.text or "")


async def unusable_media(update: Update, context: Context) -> None:
    """Stickers, voice notes, music…: never a content or a style."""
    message, user = origin(update)
    _, t = await speaking(context, user)
    if services(context).drafts.get(message.chat_id, user.id) is not None:
        await message.reply_text(t(texts.NOT_A_STYLE))
    elif is_private(message):
        await message.reply_text(t(texts.ONLY_PHOTOS))


# -- small helpers ----------------------------------------------------------------------------


def _new_draft(message: Message, user: User, content: Photo, reply_to: int, lang: str) -> Draft:
    return Draft(message.chat_id, user.id, user.first_name, content, reply_to, lang=lang)


async def _draft_for_command(
    message: Message, user: User, s: Services, lang: Language
) -> Draft | None:
    """The content of a /stylize: the photo or clip it captions or replies to, or the
    pending one."""
    t = gettext_for(lang)
    target = message if media.content_of(message) else message.reply_to_message
    content = media.content_of(target)
    if content is None and (media.has_document(message) or media.has_document(target)):
        await message.reply_text(not_an_image(target or message, t))
        return None
    if content is not None and target is not None:
        if not await usable(target, content, s.settings, t):
            return None
        return s.drafts.start(_new_draft(message, user, content, target.message_id, lang))
    private = is_private(message)
    draft = s.drafts.get(message.chat_id, user.id) if private else None
    if draft is None:
        await message.reply_text(t(texts.PRIVATE_USAGE if private else texts.GROUP_USAGE))
    return draft


def _command_argument(message: Message, bot_username: str) -> str | None:
    """The text after '/stylize' ('' if none); None if the command names another bot."""
    words = (message.text or message.caption or "").split(maxsplit=1)
    if not words:
        return ""
    _, _, addressee = words[0].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return words[1].strip() if len(words) > 1 else ""


def _replies_to(message: Message, user_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == user_id
