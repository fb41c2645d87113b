# Quiet level 2 implies `--assume-yes` for apt-get, however it is spelled.
FROM debian:bookworm-slim
RUN apt-get --quiet --quiet install curl
RUN apt-get -q --quiet install curl
RUN apt-get -q -q install curl
