ARG VERSION=1.4.2
FROM alpine:3.20 AS base
ARG VERSION
ARG TARGETARCH
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
COPY dist/app-${VERSION}-${TARGETARCH}.tar.gz $APP_HOME/
# Variables a base image may set are not known here: not reported.
WORKDIR $JAVA_HOME
COPY config $SOME_IMAGE_ENV/
LABEL proxy="$HTTP_PROXY" version=${UNSET:-dev} literal='$NOT_A_VAR' escaped=\$ALSO_NOT
ARG A=1 B=${A}
RUN echo $UNDEFINED_IN_SHELL

FROM base
WORKDIR $APP_HOME
ONBUILD COPY . $CHILD_VAR
