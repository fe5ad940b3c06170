# Putokaz: the bot and its web chat in one small image. Data (SQLite, the generated secret key) lives in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MALLOC_ARENA_MAX=2 \
    PUTOKAZ_HOST=0.0.0.0 \
    PUTOKAZ_PORT=8080 \
    PUTOKAZ_DATA_DIR=/data

RUN useradd --create-home --uid 10001 putokaz && mkdir /data && chown putokaz:putokaz /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY locales ./locales
# Editable install keeps content/ and locales/ beside the package, where the bot looks by default. The bot's own
# modules are compiled here: with PYTHONDONTWRITEBYTECODE nothing is cached at run time, and every start would
# compile them again (issue 8: cold start). MALLOC_ARENA_MAX above keeps the database threads from each growing
# their own malloc arena (a few MiB of peak RSS, measured with bench/load.py).
RUN pip install -e . && python -m compileall -q bot && putokaz content check

USER putokaz
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
STOPSIGNAL SIGTERM
CMD ["putokaz", "run"]
