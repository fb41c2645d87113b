# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN curl -fsSL https://example.com/install.sh | sh
