# Upgrading named packages is a targeted fix, not an upgrade of the whole image.
FROM rockylinux:9
RUN dnf upgrade -y openssl && dnf clean all
RUN yum update -y curl
FROM alpine:3.20
RUN apk upgrade --no-cache openssl
RUN apk add --no-cache --upgrade busybox
FROM debian:12
RUN apt-get install --only-upgrade -y openssl
