FROM debian:bookworm-slim
RUN apt-get update
# the packages
RUN apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

FROM alpine:3.20 AS tools
RUN apk update && echo done
ONBUILD RUN apt-get update
run apt-get -qq update
COPY sources.list /etc/apt/sources.list
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y git
