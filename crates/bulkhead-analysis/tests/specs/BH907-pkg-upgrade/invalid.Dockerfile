FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y && apt-get install -y curl
RUN apt-get update \
    && apt-get dist-upgrade -y
FROM alpine:3.20
RUN apk upgrade --no-cache
RUN apk update; apk upgrade | tee /log
FROM rockylinux:9
RUN dnf -y update && dnf clean all
ONBUILD RUN dnf upgrade -y
RUN yum update -y || true
FROM opensuse/leap:15.6
run zypper -n dup
