# Checkov passes this file (some RUN installs); bulkhead checks each RUN, since the layer cache does.
FROM ubuntu:24.04
RUN apt-get install -y --no-install-recommends ca-certificates && apt-get update
RUN --mount=type=cache,target=/var/lib/apt apt-get update
RUN apt-get install -y curl
