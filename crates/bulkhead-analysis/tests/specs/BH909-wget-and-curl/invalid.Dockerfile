FROM debian:bookworm-slim AS base
RUN wget -q -O /tmp/a https://example.com/a
RUN curl -fsSL -o /tmp/b https://example.com/b && wget https://example.com/c

FROM base
ONBUILD RUN curl -fsSL https://example.com/d
RUN wget -q https://example.com/e
