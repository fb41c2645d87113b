FROM alpine:3.20
ARG EXTRA
ENV PINNED="curl=8.9.1-r0 git=2.45.2-r0"
RUN apk add --no-cache $PINNED $EXTRA
RUN deps='gcc=13.2.1_git20240309-r0'; apk add --no-cache "$deps"
# Computed lists and defaults: nothing to check.
RUN apk add --no-cache $(cat /tmp/deps) ${EXTRA:-curl}
# A prefix assignment of an ordinary command does not outlive it.
RUN deps=gcc env true && apk add --no-cache $deps
