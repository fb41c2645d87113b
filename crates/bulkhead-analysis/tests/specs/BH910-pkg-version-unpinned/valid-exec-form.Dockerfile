# Exec form with every package pinned.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl=7.88.1-10+deb12u8"]
RUN ["pip", "install", "--no-cache-dir", "flask==3.0.3"]
RUN ["echo", "apt-get", "install", "curl"]
