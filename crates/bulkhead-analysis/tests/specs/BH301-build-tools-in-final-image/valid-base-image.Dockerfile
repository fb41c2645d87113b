# A base image for other Dockerfiles ships its build tools on purpose (the official python images).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
