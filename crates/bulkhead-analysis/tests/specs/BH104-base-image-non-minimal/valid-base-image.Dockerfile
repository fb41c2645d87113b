# The official python images are base images, full on purpose beside their -slim variants.
FROM buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends tk-dev uuid-dev && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
