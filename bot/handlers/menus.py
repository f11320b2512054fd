"""The style menu under a content photo: the artists' buttons and pages (by category),
"Suggest a style", "Show paintings", "Use my own style photo", Cancel, and the narrower
menus a typed name gets."""

from __future__ import annotations

from telegram import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message, Update

from bot import keyboards, texts
from bot.drafts import Draft
from bot.handlers.commands import send_sheet
from bot.handlers.common import Context, edit, message_id, query, services, speaking
from bot.handlers.submit import submit
from bot.i18n import gettext_for
from bot.keyboards import split_data
from styles.catalog import Catalog

MAX_QUERY_SHOWN = 40

# -- asking for the style ---------------------------------------------------------------------


async def ask_for_style(context: Context, draft: Draft) -> None:
    """The artist menu, under the content photo; its message id is kept with the draft."""
    s = services(context)
    markup = _artists(s.catalog, draft)
    menu = await context.bot.send_message(
        draft.chat_id, _choose_text(draft), reply_markup=markup,
        reply_to_message_id=draft.reply_to,
    )  # fmt: skip
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


async def choose_by_name(context: Context, draft: Draft, name: str) -> None:
    """A typed artist: submitted if it names one painting, otherwise a narrower menu."""
    s = services(context)
    found = s.catalog.lookup(name)
    if found.entry is not None:
        await submit(context, draft, slug=found.entry.slug)
        return
    t = gettext_for(draft.lang)
    shown = name if len(name) <= MAX_QUERY_SHOWN else name[: MAX_QUERY_SHOWN - 1] + "…"
    text = t(texts.WHICH_ONE if found.ambiguous else texts.NO_SUCH_ARTIST).format(query=shown)
    if found.candidates:
        markup = keyboards.suggestion_keyboard(found.candidates, draft.id, draft.lang)
    else:
        markup = _artists(s.catalog, draft)
    menu = await context.bot.send_message(
        draft.chat_id, text, reply_markup=markup, reply_to_message_id=draft.reply_to
    )
    draft.menu_message_id = menu.message_id
    s.drafts.save(draft)


def _artists(catalog: Catalog, draft: Draft, page: int = 0) -> InlineKeyboardMarkup:
    """The artist menu; no "Suggest a style" for a clip (suggestions are tried on photos)."""
    return keyboards.artist_keyboard(
        catalog.entries, draft.id, draft.lang, page, suggest=not draft.content.clip
    )


def _choose_text(draft: Draft) -> str:
    t = gettext_for(draft.lang)
    if draft.chat_id > 0:
        return t(texts.CHOOSE_STYLE)
    return t(texts.CHOOSE_STYLE_GROUP).format(name=draft.user_name)


# -- the menu's buttons -----------------------------------------------------------------------


async def artist_chosen(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    slug = split_data(pressed.data)[-1]
    catalog = services(context).catalog
    if slug not in catalog:  # a menu from before the gallery changed
        markup = _artists(catalog, draft)
        await edit(pressed, gettext_for(draft.lang)(texts.STYLE_GONE), markup)
        return
    await submit(context, draft, slug=slug, menu_id=message_id(pressed))


async def page_turned(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    page = int(split_data(pressed.data)[-1])
    await edit(pressed, _choose_text(draft), _artists(services(context).catalog, draft, page))


async def suggest_pressed(update: Update, context: Context) -> None:
    """ "Suggest a style": the photo tried in every painting, as one numbered sheet."""
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    if draft.content.clip:  # a menu drawn before clips had no such button
        catalog = services(context).catalog
        await edit(
            pressed, gettext_for(draft.lang)(texts.CLIP_NO_SUGGEST), _artists(catalog, draft)
        )
        return
    await submit(context, draft, menu_id=message_id(pressed))  # no style: suggestions


async def sheet_pressed(update: Update, context: Context) -> None:
    """ "Show paintings": the gallery as one picture, the menu stays where it is."""
    pressed, draft = await _own_draft(update, context)
    if draft is None or not isinstance(pressed.message, Message):
        return
    await send_sheet(context, pressed.message, gettext_for(draft.lang)(texts.ARTISTS_CAPTION))


async def own_style_chosen(update: Update, context: Context) -> None:
    """The next photo is the style. In groups the bot (in privacy mode) sees only replies
    to itself, so the person is asked with ForceReply, which makes their app reply."""
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    draft.awaiting_photo = True
    services(context).drafts.save(draft)
    t = gettext_for(draft.lang)
    markup = keyboards.suggestion_keyboard((), draft.id, draft.lang)  # "All artists", Cancel
    await edit(pressed, t(texts.SEND_STYLE_PHOTO), markup)
    if draft.chat_id < 0:
        await context.bot.send_message(
            draft.chat_id, t(texts.SEND_STYLE_PHOTO_GROUP).format(name=draft.user_name),
            reply_to_message_id=draft.reply_to,
            reply_markup=ForceReply(
                selective=True, input_field_placeholder=t(texts.STYLE_PHOTO_PLACEHOLDER)
            ),
        )  # fmt: skip


async def draft_dropped(update: Update, context: Context) -> None:
    pressed, draft = await _own_draft(update, context)
    if draft is None:
        return
    services(context).drafts.drop(draft)
    await edit(pressed, gettext_for(draft.lang)(texts.DRAFT_CANCELLED), None)


async def _own_draft(update: Update, context: Context) -> tuple[CallbackQuery, Draft | None]:
    """The draft a menu button belongs to, if it is still live and the presser owns it.

    Answers the query (with a notice when the button can't be used).
    """
    pressed = query(update)
    draft = services(context).drafts.by_id(split_data(pressed.data)[1])
    if draft is None or draft.user_id != pressed.from_user.id:
        _, t = await speaking(context, pressed.from_user)
        if draft is None:
            await pressed.answer(t(texts.MENU_EXPIRED))
            await edit(pressed, t(texts.MENU_EXPIRED), None)
        else:
            await pressed.answer(t(texts.MENU_NOT_YOURS).format(name=draft.user_name))
        return pressed, None
    await pressed.answer()
    return pressed, draft
