FROM docker:27-dind AS build
# A build stage: what it exposes never reaches the image.
EXPOSE 2375

FROM docker:27-dind
ENV DOCKER_TLS_CERTDIR=/certs
EXPOSE 2376 2375/udp 2380-2390
