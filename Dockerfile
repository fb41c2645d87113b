# syntax=docker/dockerfile:1
# bulkhead's own image: the release binary on a distroless runtime, running as a non-root user.
#   docker build -t bulkhead .
#   docker run --rm --read-only --cap-drop=ALL --security-opt no-new-privileges -v "$PWD:/src:ro" bulkhead check /src

FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
# Dependencies first, so source edits reuse the cached crates.
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY crates ./crates
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p bulkhead \
    && install -D -m 0755 target/release/bulkhead /out/bulkhead

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=build /out/bulkhead /usr/local/bin/bulkhead
# distroless `nonroot` by number, so Kubernetes `runAsNonRoot` can verify it.
USER 65532:65532
WORKDIR /src
# A CLI and a stdio language server: no port, no daemon to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/bulkhead"]
CMD ["check", "."]
