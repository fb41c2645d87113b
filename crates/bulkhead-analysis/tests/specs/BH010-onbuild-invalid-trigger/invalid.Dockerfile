FROM alpine:3.20
ONBUILD ONBUILD RUN echo hi
ONBUILD FROM alpine:3.20
onbuild maintainer Jane
