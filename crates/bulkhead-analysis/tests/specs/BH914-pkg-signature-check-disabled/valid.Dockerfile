FROM debian:bookworm-slim
RUN echo "deb [signed-by=/etc/apt/keyrings/x.gpg] https://repo.example.com/ stable main" > /etc/apt/sources.list.d/x.list
RUN apt-get update && apt-get install -y --allow-downgrades curl
RUN apt-get -o APT::Get::AllowUnauthenticated=false install -y git
FROM rockylinux:9
RUN rpm --import https://example.com/key.asc && dnf install -y --setopt=gpgcheck=1 nginx && rpm -qa --nodigest
FROM alpine:3.20
RUN apk add --no-cache curl
