# From moby/moby: docker/xx's `xx-apt-get install` uses the index the same RUN refreshed.
FROM --platform=$BUILDPLATFORM debian:bookworm-slim AS build
COPY --link --from=tonistiigi/xx / /
ARG TARGETPLATFORM
RUN --mount=type=cache,sharing=locked,target=/var/lib/apt \
        apt-get update && xx-apt-get install -y --no-install-recommends \
            gcc \
            pkg-config
RUN apt-get update && xx-apt-get --no-install-recommends install -y binutils
