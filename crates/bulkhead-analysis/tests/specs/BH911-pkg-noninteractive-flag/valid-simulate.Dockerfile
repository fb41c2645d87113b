# From docker-library/postgres: `apt-get install -s` only prints what would happen, it never asks.
FROM debian:bookworm-slim
ENV PG_MAJOR=18
RUN if apt-get install -s "postgresql-$PG_MAJOR-jit" > /dev/null 2>&1; then \
      apt-get install -y --no-install-recommends "postgresql-$PG_MAJOR-jit"; \
    fi
