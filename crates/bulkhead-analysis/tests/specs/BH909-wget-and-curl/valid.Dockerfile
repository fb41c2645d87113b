# Each stage uses one tool; the build stage's wget never reaches the image.
FROM debian:bookworm-slim AS fetch
RUN wget -q -O /tmp/app.tgz https://example.com/app.tgz && curl -fsSLO https://example.com/sig
FROM debian:bookworm-slim
COPY --from=fetch /tmp/app.tgz /tmp/
RUN curl -fsSL -o /usr/local/bin/tini https://example.com/tini
RUN curl --version
