# Exec form that installs, or prints the words only.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl"]
RUN ["echo", "apt-get", "update"]
RUN ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*"]
RUN []
