"""The Telegram bot: conversation, job queue and delivery around the style-transfer engine."""
