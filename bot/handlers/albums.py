"""An album of two photos in a private chat: the first is the photo to repaint, the second
the style. Telegram sends an album as separate messages sharing a `media_group_id`, so the
photos are gathered for ALBUM_WAIT seconds after the first one arrives, then taken as a
whole; an album of any other size gets a message saying what works."""

from __future__ import annotations

import asyncio

from telegram import Message, Update, User

from bot import media, texts
from bot.drafts import Draft
from bot.handlers.common import Context, origin, services, speaking, usable
from bot.handlers.submit import submit
from bot.models import Photo

ALBUM_WAIT = 1.5  # seconds; Telegram delivers an album's messages within a fraction of that
ALBUM_SIZE = 2


async def album_photo(update: Update, context: Context) -> None:
    """One photo of an album: kept until the album is complete."""
    message, user = origin(update)
    group = services(context).albums.setdefault(str(message.media_group_id), [])
    group.append(message)
    if len(group) == 1:
        context.application.create_task(
            _album_complete(context, str(message.media_group_id), user), update=update
        )


async def _album_complete(context: Context, group_id: str, user: User) -> None:
    await asyncio.sleep(ALBUM_WAIT)
    s = services(context)
    messages = sorted(s.albums.pop(group_id, []), key=lambda m: m.message_id)
    lang, t = await speaking(context, user)
    if len(messages) != ALBUM_SIZE:
        await messages[0].reply_text(t(texts.ALBUM_TOO_BIG).format(count=len(messages)))
        return
    content, style = media.content_of(messages[0]), media.image_of(messages[1])
    for message, photo in zip(messages, (content, style), strict=True):
        if not await usable(message, photo, s.settings, t):
            return
    assert content is not None and style is not None  # usable() said so
    draft = _draft(messages[0], user, content, lang)
    await submit(context, s.drafts.start(draft), style_photo=style)


def _draft(first: Message, user: User, content: Photo, lang: str) -> Draft:
    return Draft(first.chat_id, user.id, user.first_name, content, first.message_id, lang=lang)
