FROM debian:bookworm-slim
run apt-get update && \
    apt-get install -y --no-install-recommends curl
