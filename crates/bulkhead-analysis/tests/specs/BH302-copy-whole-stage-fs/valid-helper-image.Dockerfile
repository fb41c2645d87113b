# Regression (corpus: moby): tonistiigi/xx is built FROM scratch to be copied whole; here the copy ships
# (the final stage is built FROM base), directly, through a stage, and with the tag in a variable.
ARG XX_VERSION=1.6.1
FROM --platform=$BUILDPLATFORM tonistiigi/xx:${XX_VERSION} AS xx
FROM docker.io/tonistiigi/xx@sha256:923441d7c25f1e2eb5789f82d987693c47b8ed987c4ab3b075d6ed2b5d6779a3 AS xx-pinned

FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS base
COPY --from=xx / /
COPY --from=xx-pinned / /
COPY --from=tonistiigi/xx:1.6.1 / /
RUN xx-go build -o /usr/local/bin/app .
