"""One renderer for every channel: the engine's Markdown to Telegram HTML, Viber text, plain text or a web HTML fragment.

Every renderer sanitizes its input first (bidi controls and C0/C1 controls go), parses it with markdown-it
(raw HTML is never passed through), and only then adds its own left-to-right isolates when `rtl` is true.
"""

from bot.render.bidi import sanitize
from bot.render.plain import to_plain
from bot.render.split import split_telegram, split_text
from bot.render.telegram import to_telegram_html
from bot.render.viber import to_viber
from bot.render.web import to_web_html

__all__ = ["sanitize", "split_telegram", "split_text", "to_plain", "to_telegram_html", "to_viber", "to_web_html"]
