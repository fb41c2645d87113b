FROM debian:bookworm-slim AS smoketest
WORKDIR /usr/local/bin
COPY --from=build /build .
RUN ./dockerd --version
