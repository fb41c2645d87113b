FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential \
      # headers for the extension
      libssl-dev=3.0.11-1~deb12u2 \
      ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src && make -C /src install
