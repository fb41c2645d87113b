FROM ubuntu:24.04 AS base
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssh-server=1:9.6p1-3ubuntu13 \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 22

FROM base
ARG SSH_PORT=22
EXPOSE 80 22/tcp 443
expose ${SSH_PORT}
