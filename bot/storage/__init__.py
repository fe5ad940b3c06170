"""Storage: SQLAlchemy async (SQLite with aiosqlite, PostgreSQL with asyncpg), schema by Alembic migrations."""

from bot.storage.database import Database, database_url, open_database, sqlite_url
from bot.storage.users import SqlUserStore

__all__ = ["Database", "SqlUserStore", "database_url", "open_database", "sqlite_url"]
