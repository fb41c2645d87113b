FROM debian:12
RUN apt-get update && \
    apt install -y curl
