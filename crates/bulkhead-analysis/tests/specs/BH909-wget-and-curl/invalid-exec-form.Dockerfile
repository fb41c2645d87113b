# Exec form counts like the shell form, in each stage the final image is built on.
FROM debian:bookworm-slim AS base
RUN wget -q -O /tmp/app.tgz https://example.com/app.tgz
RUN ["curl", "-fsSL", "-o", "/usr/local/bin/tini", "https://example.com/tini"]

FROM base
RUN ["/usr/bin/curl", "-fsSLo", "/tmp/a", "https://example.com/a"]
RUN ["wget", "-q", "-O", "/tmp/b", "https://example.com/b"]
