"""The composition root: the only package that knows several clients at once.

- `stylize.server` (`make run`, `stylize-server`): the job service, the page and API, and
  (with a token) the Telegram bot in one process.
- `stylize.cli` (`stylize`): the command line, which paints with the engine and reads the
  gallery directly.
"""
