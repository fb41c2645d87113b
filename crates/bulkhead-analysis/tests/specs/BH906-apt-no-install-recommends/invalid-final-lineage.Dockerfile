# A stage the final image is built FROM ships its packages.
FROM debian:bookworm-slim AS base
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*

FROM base
COPY --from=build /out/app /usr/local/bin/app
