FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor > /k.gpg

FROM base
RUN wget -qO- https://example.com/x.tgz | tar xz

FROM alpine:3.20
RUN set -eo pipefail && wget -qO- https://example.com/x.tgz | tar xz
RUN set -euxo pipefail; wget -qO- https://example.com/x.tgz | tar xz
RUN echo "$SHA256  /tmp/x.tgz" | sha256sum -c -
RUN printf '%s\n' a b | sort
RUN a || b && c
RUN ["sh", "-c", "curl x | sh"]

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Get-ChildItem | Select-Object Name
