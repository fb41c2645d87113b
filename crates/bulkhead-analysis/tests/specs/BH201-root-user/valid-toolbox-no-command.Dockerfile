# No command of its own on an OS image: it starts a shell, a toolbox.
FROM alpine:3.22
RUN apk add --no-cache git make
