// Every string the page shows, one dictionary per language. `{name}` is filled in by t().

export const LANGUAGES = ["en", "ru"];

const en = {
  "page.title": "Style transfer",
  "page.tagline": "Repaint your photo in the style of a famous painting.",
  "lang.label": "Language",
  "photo.heading": "1. Your photo",
  "photo.drop": "Drop a photo or a short clip here, paste it (Ctrl+V) or",
  "photo.clips": "Clips: MP4, MOV, WebM or GIF, up to 20 s; you get an MP4 back, with the sound.",
  "photo.pick": "Choose a photo or clip",
  "photo.camera": "Take a photo",
  "photo.chosen": "Your photo",
  "photo.chosenClip": "Your clip",
  "photo.unreadable": "This browser can't show {name}; the server will check it.",
  "style.heading": "2. Style",
  "style.search": "Search for an artist or painting",
  "style.searchHint": "e.g. Van Gogh, Моне, Klimt",
  "style.all": "All",
  "style.categories": "Categories",
  "style.gallery": "Paintings",
  "style.none": "No painting matches “{q}”.",
  "style.closest": "Nothing matches “{q}” exactly; these come closest.",
  "style.found": "{n} found.",
  "style.own": "Or use your own style image",
  "style.ownChosen": "Your style image: {name}",
  "style.ownRemove": "Remove",
  "suggest.button": "Suggest a style for my photo",
  "suggest.surprise": "Surprise me",
  "suggest.queued": "Waiting to try the styles ({n} ahead)…",
  "suggest.working": "Trying every painting on your photo… {p}%",
  "suggest.ready": "Ranked for your photo: the best fits come first, marked ★.",
  "suggest.failed": "The suggestions could not be made: {message}",
  "suggest.rank": "No. {n}",
  "options.heading": "3. Options",
  "options.strength": "Style strength",
  "options.colors": "Keep the photo's colours",
  "options.quality": "Quality",
  "options.clipNote": "For a clip, Instant paints every frame in a fraction of a second; the other qualities refine every frame and are slow without a GPU.",
  "quality.instant": "Instant (about a second)",
  "quality.fast": "Fast (small picture)",
  "quality.balanced": "Balanced",
  "quality.high": "High (large, slow)",
  "go": "Stylize",
  "need.photo": "Choose a photo first.",
  "need.style": "Choose a painting or upload your own style image first.",
  "work.heading": "Painting your picture",
  "work.sending": "Sending your photo…",
  "work.queued": "In the queue: {n} ahead of you.",
  "work.starting": "Starting now…",
  "work.running": "Painting…",
  "work.eta": "About {t} left.",
  "work.seconds": "{n} s",
  "work.minutes": "{n} min",
  "work.preview": "Preview so far",
  "work.progress": "Progress",
  "work.cancel": "Cancel",
  "work.cancelling": "Cancelling…",
  "work.cancelled": "Cancelled. Your photo is still here.",
  "work.lost": "The connection to the server was lost. Please try again.",
  "result.heading": "Your picture",
  "result.headingClip": "Your clip",
  "result.clip": "Stylized clip",
  "result.compare": "Before / after",
  "result.original": "Original photo",
  "result.stylized": "Stylized picture",
  "result.download": "Download",
  "result.again": "Try another artist",
  "result.done": "Done in {s} s.",
  "error.network": "We can't reach the server. Check your connection and try again.",
  "error.generic": "Something went wrong (error {status}).",
  "error.failed": "The picture could not be made: {message}",
  "error.styles": "The gallery could not be loaded: {message}",
  "dev.size": "Developer option: output size {n} px.",
};

const ru = {
  "page.title": "Перенос стиля",
  "page.tagline": "Перерисуйте своё фото в стиле известной картины.",
  "lang.label": "Язык",
  "photo.heading": "1. Ваше фото",
  "photo.drop": "Перетащите сюда фото или короткое видео, вставьте его (Ctrl+V) или",
  "photo.clips": "Видео: MP4, MOV, WebM или GIF, до 20 с; вернётся MP4 со звуком.",
  "photo.pick": "Выберите фото или видео",
  "photo.camera": "Сделать снимок",
  "photo.chosen": "Ваше фото",
  "photo.chosenClip": "Ваше видео",
  "photo.unreadable": "Браузер не может показать {name}; сервер его проверит.",
  "style.heading": "2. Стиль",
  "style.search": "Поиск художника или картины",
  "style.searchHint": "Например: Ван Гог, Monet",
  "style.all": "Все",
  "style.categories": "Направления",
  "style.gallery": "Картины",
  "style.none": "Ни одна картина не подходит к «{q}».",
  "style.closest": "Точного совпадения с «{q}» нет; вот самые похожие.",
  "style.found": "Найдено: {n}.",
  "style.own": "Или загрузите своё изображение стиля",
  "style.ownChosen": "Ваше изображение стиля: {name}",
  "style.ownRemove": "Убрать",
  "suggest.button": "Подобрать стиль к моему фото",
  "suggest.surprise": "Удивите меня",
  "suggest.queued": "Ждём очереди, чтобы примерить стили (впереди: {n})…",
  "suggest.working": "Примеряем все картины к вашему фото… {p}%",
  "suggest.ready": "Подобрано для вашего фото: лучшие впереди, отмечены ★.",
  "suggest.failed": "Не удалось подобрать стиль: {message}",
  "suggest.rank": "№ {n}",
  "options.heading": "3. Настройки",
  "options.strength": "Сила стиля",
  "options.colors": "Сохранить цвета фото",
  "options.quality": "Качество",
  "options.clipNote": "Для видео «Мгновенно» рисует каждый кадр за доли секунды; остальные режимы дорабатывают каждый кадр и без видеокарты идут медленно.",
  "quality.instant": "Мгновенно (около секунды)",
  "quality.fast": "Быстро (маленькая картинка)",
  "quality.balanced": "Сбалансированно",
  "quality.high": "Высокое (большая, медленно)",
  "go": "Стилизовать",
  "need.photo": "Сначала выберите фото.",
  "need.style": "Сначала выберите картину или загрузите своё изображение стиля.",
  "work.heading": "Рисуем вашу картину",
  "work.sending": "Отправляем фото…",
  "work.queued": "Перед вами в очереди: {n}.",
  "work.starting": "Начинаем…",
  "work.running": "Рисуем…",
  "work.eta": "Осталось около {t}.",
  "work.seconds": "{n} с",
  "work.minutes": "{n} мин",
  "work.preview": "Предварительный вид",
  "work.progress": "Ход работы",
  "work.cancel": "Отменить",
  "work.cancelling": "Отменяем…",
  "work.cancelled": "Отменено. Ваше фото осталось на месте.",
  "work.lost": "Связь с сервером прервалась. Попробуйте ещё раз.",
  "result.heading": "Ваша картина",
  "result.headingClip": "Ваше видео",
  "result.clip": "Стилизованное видео",
  "result.compare": "До / после",
  "result.original": "Исходное фото",
  "result.stylized": "Стилизованная картина",
  "result.download": "Скачать",
  "result.again": "Другой художник",
  "result.done": "Готово за {s} с.",
  "error.network": "Сервер недоступен. Проверьте подключение и попробуйте ещё раз.",
  "error.generic": "Что-то пошло не так (ошибка {status}).",
  "error.failed": "Не удалось сделать картину: {message}",
  "error.styles": "Не удалось загрузить галерею: {message}",
  "dev.size": "Опция разработчика: размер {n} px.",
};

const DICTS = { en, ru };
const STORE_KEY = "lang";
let current = "en";

export function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    // storage may be blocked; fall back to the browser's language
  }
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.languages?.[0] || navigator.language || "en").toLowerCase();
  return browser.startsWith("ru") ? "ru" : "en";
}

export function setLanguage(lang, remember = true) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  document.documentElement.lang = current;
  document.title = t("page.title");
  if (remember) {
    try {
      localStorage.setItem(STORE_KEY, current);
    } catch {
      // not remembered; still switched
    }
  }
  // Static texts: data-i18n="key" sets the text, data-i18n-attr="attr:key;attr:key" attributes.
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n, JSON.parse(el.dataset.i18nVars || "{}"));
  }
  for (const el of document.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr, t(key));
    }
  }
}

export function language() {
  return current;
}

// Show a translated text in `el` that follows later language switches; key "" clears it.
export function say(el, key, vars = {}) {
  if (!key) {
    delete el.dataset.i18n;
    delete el.dataset.i18nVars;
    el.textContent = "";
    return;
  }
  el.dataset.i18n = key;
  el.dataset.i18nVars = JSON.stringify(vars);
  const text = t(key, vars);
  if (el.textContent !== text) el.textContent = text; // live regions: say a thing once
}

export function t(key, vars = {}) {
  const text = DICTS[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}
