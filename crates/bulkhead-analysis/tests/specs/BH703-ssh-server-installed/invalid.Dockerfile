FROM ubuntu:24.04 AS base
RUN apt-get update \
    # the server, for remote debugging
    && apt-get install -y --no-install-recommends openssh-server=1:9.6p1-3ubuntu13 ssh \
    && rm -rf /var/lib/apt/lists/*

FROM base
CMD service ssh start && exec /usr/local/bin/app
