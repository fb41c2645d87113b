FROM debian:buster-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
CMD ["/usr/local/bin/app"]
