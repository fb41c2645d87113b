# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN <<EOF
set -e
useradd -p "" guest
printf 'guest:guest\n' | chpasswd
EOF
