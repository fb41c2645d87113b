# A build stage whose files are only copied from ships none of its packages.
FROM debian:bookworm-slim AS build
RUN apt update && apt install -y build-essential && rm -rf /var/lib/apt/lists/*
RUN make

FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/app
