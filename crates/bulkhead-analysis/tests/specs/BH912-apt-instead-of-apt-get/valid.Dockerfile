FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl && apt-cache policy curl
RUN apt-mark hold curl && apt-key list && rm -rf /var/lib/apt/lists/* && echo apt
RUN apt-config dump && ls /etc/apt
