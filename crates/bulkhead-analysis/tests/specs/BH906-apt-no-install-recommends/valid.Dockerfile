FROM debian:bookworm-slim AS base
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends
RUN apt-get -o Dpkg::Options::=--force-confold install -y --no-install-recommends curl
RUN apt-get install -y -o APT::Install-Recommends=false wget
RUN apt-get install -y -oAPT::Install-Recommends=0 jq
RUN apt-get install -s postgresql-16-jit
RUN apt-get install -yd git

FROM base
RUN apt-get install -y make
