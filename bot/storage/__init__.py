"""Storage: SQLAlchemy async (SQLite with aiosqlite, PostgreSQL with asyncpg), schema by Alembic migrations."""

from bot.storage.database import Database, open_database, sqlite_url
from bot.storage.users import SqlUserStore

__all__ = ["Database", "SqlUserStore", "open_database", "sqlite_url"]
