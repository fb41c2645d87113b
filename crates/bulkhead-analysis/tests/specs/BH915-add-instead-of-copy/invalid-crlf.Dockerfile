FROM alpine:3.20
ARG CONF=app.conf
ADD \
    ${CONF} /etc/app/
