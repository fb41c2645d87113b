FROM debian:bookworm-slim AS base
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor | tee /usr/share/keyrings/example.gpg
RUN find /usr/local -type f -executable -exec ldd '{}' ';' \
# libraries the binaries need
    | awk '/=>/ { print $3 }' | sort -u
RUN set -e && wget -qO- https://example.com/install.sh | sh

FROM base
run git show HEAD:install.sh | bash -s -- --prefix=/opt

FROM alpine:3.20
RUN wget -qO- https://example.com/setup.py | python3
ONBUILD RUN curl -fsSL https://example.com/i.sh | sh
