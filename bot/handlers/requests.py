"""Putting a request together: the content photo, then a style (a button, a typed name, a
second photo, or /stylize). Until a style is chosen the request is a draft (bot/drafts.py),
keyed by chat and user so that two people in one group never mix."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update, User

from bot import keyboards, media, texts
from bot.drafts import Draft
from bot.handlers.common import (
    Context,
    Services,
    edit,
    is_private,
    message_id,
    origin,
    query,
    services,
)
from bot.handlers.submit import submit
from bot.keyboards import split_data
from bot.models import Photo, Style

MAX_QUERY_SHOWN = 40


# -- messages ---------------------------------------------------------------------------------


async def stylize_command(update: Update, context: Context) -> None:
    """/stylize [artist]: as a reply to a photo, in a photo's caption, or after a photo."""
    message, user = origin(update)
    s = services(context)
    name = _command_argument(message, context.bot.username)
    if name is None:
        return  # "/stylize@SomeOtherBot" in a group
    replied = message.reply_to_message
    attached, content = media.image_of(message), media.image_of(replied)
    if attached is not None and content is not None and replied is not None:
        # A photo captioned /stylize, replying to the content photo: it is the style.
        for photo in (content, attached):
            if not await _small_enough(message, photo, s):
                return
        style_draft = s.drafts.start(_new_draft(message, user, content, replied.message_id))
        await submit(context, style_draft, Style(photo=attached))
        return
    draft = await _draft_for_command(message, user, s)
    if draft is None:
        return
    if name:
        await choose_by_name(context, draft, name)
    else:
        await ask_for_style(context, draft)


async def photo_received(update: Update, context: Context) -> None:
    """A photo or a file: the style of the pending request, or the content of a new one."""
    message, user = origin(update)
    s = services(context)
    photo = media.image_of(message)
    draft = s.drafts.get(message.chat_id, user.id)
    if draft is not None and draft.held and not draft.awaiting_photo:
        draft = None  # a refused request doesn't take the next photo as its style
    if draft is None and not is_private(message):
        # In groups only /stylize starts a request; a photo sent in reply to the bot
        # (the only kind it sees in privacy mode) gets a hint how.
        if _replies_to(message, context.bot.id):
            await message.reply_text(texts.GROUP_USAGE)
        return
    if photo is None:
        await message.reply_text(_not_an_image(message))
        return
    if not await _small_enough(message, photo, s):
        return
    if draft is not None:
        await submit(context, draft, Style(photo=photo))
        return
    draft = s.drafts.start(_new_draft(message, user, photo, message.message_id))
    await ask_for_style(context, draft)


async def artist_typed(update: Update, context: Context) -> None:
    message, user = origin(update)
    draft = services(context).drafts.get(message.chat_id, user.id)
    if draft is None:
        if is_private(message):
            await message.reply_text(texts.SEND_PHOTO_FIRST)
        return
    await choose_by_name(context, draft, message.text or "")


async def unusable_media(update: Update, context: Context) -> None:
    """Stickers, videos, voice notes…: never a content or a style."""
    message, user = origin(update)
    if services(context).drafts.get(message.chat_id, user.id) is not None:
        await message.reply_text(texts.NOT_A_STYLE)
    elif is_private(message):
        await message.reply_text(texts.ONLY_PHOTOS)


# -- the menu's buttons -----------------------------------------------------------------------


async def artist_chosen(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    slug = split_data(pressed.data)[-1]
    catalog = services(context).catalog
    if slug not in catalog:  # a menu from before the gallery changed
        await edit(pressed, texts.STYLE_GONE, keyboards.artist_keyboard(catalog.entries, draft.id))
        return
    await submit(context, draft, Style(slug=slug), menu_id=message_id(pressed))


async def page_turned(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    page = int(split_data(pressed.data)[-1])
    markup = keyboards.artist_keyboard(services(context).catalog.entries, draft.id, page)
    await edit(pressed, _choose_text(draft), markup)


async def own_style_chosen(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    draft.awaiting_photo = True
    services(context).drafts.save(draft)
    markup = keyboards.suggestion_keyboard((), draft.id)  # "All artists" and Cancel
    await edit(pressed, texts.SEND_STYLE_PHOTO, markup)


async def draft_dropped(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    services(context).drafts.drop(draft)
    await edit(pressed, texts.DRAFT_CANCELLED, None)


async def _own_draft(update: Update, context: Context) -> tuple[CallbackQuery, Draft | None]:
    """The draft a menu button belongs to, if it is still live and the presser owns it.

    Answers the query (with a notice when the button can't be used).
    """
    pressed = query(update)
    draft = services(context).drafts.by_id(split_data(pressed.data)[1])
    if draft is None:
        await pressed.answer(texts.MENU_EXPIRED)
        await edit(pressed, texts.MENU_EXPIRED, None)
        return pressed, None
    if draft.user_id != pressed.from_user.id:
        await pressed.answer(texts.MENU_NOT_YOURS.format(name=draft.user_name))
        return pressed, None
    await pressed.answer()
    return pressed, draft


# -- asking for the style ---------------------------------------------------------------------


async def ask_for_style(context: Context, draft: Draft) -> None:
    """The artist menu, under the content photo; its message id is kept with the draft."""
    s = services(context)
    menu = await context.bot.send_message(
        draft.chat_id, _choose_text(draft),
        reply_markup=keyboards.artist_keyboard(s.catalog.entries, draft.id),
        reply_to_message_id=draft.reply_to,
    )  # fmt: skip
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


async def choose_by_name(context: Context, draft: Draft, name: str) -> None:
    """A typed artist: submitted if it names one painting, otherwise a narrower menu."""
    s = services(context)
    found = s.catalog.lookup(name)
    if found.entry is not None:
        await submit(context, draft, Style(slug=found.entry.slug))
        return
    shown = name if len(name) <= MAX_QUERY_SHOWN else name[: MAX_QUERY_SHOWN - 1] + "…"
    text = (texts.WHICH_ONE if found.ambiguous else texts.NO_SUCH_ARTIST).format(query=shown)
    if found.candidates:
        markup = keyboards.suggestion_keyboard(found.candidates, draft.id)
    else:
        markup = keyboards.artist_keyboard(s.catalog.entries, draft.id)
    menu = await context.bot.send_message(
        draft.chat_id, text, reply_markup=markup, reply_to_message_id=draft.reply_to
    )
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


def _choose_text(draft: Draft) -> str:
    if draft.chat_id > 0:
        return texts.CHOOSE_STYLE
    return texts.CHOOSE_STYLE_GROUP.format(name=draft.user_name)


# -- small helpers ----------------------------------------------------------------------------


def _new_draft(message: Message, user: User, content: Photo, reply_to: int) -> Draft:
    return Draft(message.chat_id, user.id, user.first_name, content, reply_to)


async def _draft_for_command(message: Message, user: User, s: Services) -> Draft | None:
    """The content of a /stylize: the photo it captions or replies to, or the pending one."""
    target = message if media.image_of(message) else message.reply_to_message
    content = media.image_of(target)
    if content is None and (media.has_document(message) or media.has_document(target)):
        await message.reply_text(_not_an_image(target or message))
        return None
    if content is not None and target is not None:
        if not await _small_enough(message, content, s):
            return None
        return s.drafts.start(_new_draft(message, user, content, target.message_id))
    draft = s.drafts.get(message.chat_id, user.id) if is_private(message) else None
    if draft is None:
        await message.reply_text(texts.GROUP_USAGE)
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


async def _small_enough(message: Message, photo: Photo, s: Services) -> bool:
    """Checked on arrival (Telegram tells the size), so nobody waits for a refusal."""
    if media.too_big(photo, s.settings.max_input_bytes):
        await message.reply_text(texts.FILE_TOO_BIG.format(mb=s.settings.max_input_mb))
        return False
    return True


def _not_an_image(message: Message) -> str:
    return texts.GIF_IS_A_VIDEO if message.animation else texts.NOT_AN_IMAGE_FILE


def _replies_to(message: Message, user_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == user_id
