FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      curl \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 5432 8080/tcp
  CMD ["/usr/local/bin/server"]
