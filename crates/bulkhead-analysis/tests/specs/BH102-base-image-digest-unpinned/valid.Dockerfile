ARG BASE
FROM python:3.12-slim@sha256:2d1e4bd5f2dc7cf2c52ba4a5a4fb4aa1ab0d0c7a1b6b8b1f3b1f9d2f8c2a1e3d AS build
# Named build contexts, stage names and stages by index are not images.
COPY --from=src . /src
RUN --mount=type=cache,target=/root/.cache,from=build true

FROM ${BASE}
COPY --from=0 /src /src

FROM scratch
COPY --from=build /src /src
