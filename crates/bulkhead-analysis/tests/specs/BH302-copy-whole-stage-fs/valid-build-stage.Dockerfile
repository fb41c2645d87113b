# Regression (corpus: docker/cli, moby): a helper image copied whole into a build stage ships nothing.
ARG XX_VERSION=1.9.0
FROM --platform=$BUILDPLATFORM tonistiigi/xx:${XX_VERSION} AS xx

FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build
COPY --link --from=xx / /
RUN xx-go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
