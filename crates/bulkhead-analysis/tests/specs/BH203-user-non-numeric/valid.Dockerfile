FROM debian:12-slim AS build
# Build stages may use names: only the final image's user matters.
RUN useradd builder
USER builder

FROM debian:12-slim
RUN useradd --uid 10001 app
USER 10001:app
