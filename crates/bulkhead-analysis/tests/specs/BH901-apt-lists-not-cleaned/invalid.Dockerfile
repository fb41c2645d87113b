FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
      ca-certificates \
      # keep the TLS roots
      wget \
    ;
RUN set -eux; apt-get update; apt-get install -y jq # the JSON tool
RUN apt-get update && apt-get install -y tini &
RUN --mount=type=cache,target=/var/lib/apt/lists/partial apt-get update && apt-get upgrade -y
ONBUILD RUN apt update && apt install -y git
