FROM alpine:3.20
VOLUME /srv/data:/data
