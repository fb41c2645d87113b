# One `-q` or `--quiet` is quiet level 1: apt-get still asks.
FROM debian:bookworm-slim
RUN apt-get --quiet install curl
RUN apt-get -q install curl
