FROM alpine:3.20
ENV APP_HOME=/srv/app PORT=8080
LABEL maintainer="ops@example.com" org.opencontainers.image.title="app"
ENV EMPTY=
ARG VERSION
ONBUILD ENV CONF=/etc/app
