"""The registry: SQLAlchemy models, Alembic migrations, repository functions, audit chain."""
