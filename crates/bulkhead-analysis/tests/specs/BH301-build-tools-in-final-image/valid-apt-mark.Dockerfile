FROM debian:bookworm-slim
RUN set -eux; \
    savedAptMark="$(apt-mark showmanual)"; \
    apt-get update; \
    apt-get install -y --no-install-recommends gcc libc6-dev make; \
    make -C /usr/src/app install; \
    apt-mark auto '.*' > /dev/null; \
    [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; \
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
    rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends git; \
    apt-mark showmanual | xargs apt-mark auto > /dev/null; \
    apt-get purge -y --auto-remove; \
    rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && gcc -o /usr/local/bin/tool /src/tool.c \
    && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*
