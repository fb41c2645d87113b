FROM debian:bookworm-slim
RUN aptitude update && aptitude install -y curl && rm -rf /var/lib/apt/lists/*
