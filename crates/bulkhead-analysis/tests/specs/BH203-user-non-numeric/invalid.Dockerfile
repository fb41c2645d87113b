FROM debian:12-slim AS base
RUN groupadd --gid 10001 app \
    && useradd --uid=10001 --gid app --no-create-home app
USER app:app

FROM base
COPY app /usr/local/bin/app
CMD ["/usr/local/bin/app"]
