# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
set -eux
apt-get update
apt-get upgrade -y
apt-get install -y curl
EOF
