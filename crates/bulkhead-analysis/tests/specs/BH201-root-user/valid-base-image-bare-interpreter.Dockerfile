# A base image for other Dockerfiles (the official python images): its command is a bare interpreter.
FROM debian:bookworm-slim
ENV PATH=/usr/local/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
