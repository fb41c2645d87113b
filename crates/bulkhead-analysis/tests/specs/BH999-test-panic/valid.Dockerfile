FROM alpine:3.20
LABEL note=ok
USER app
