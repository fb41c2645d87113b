FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
    && apk add --no-cache make \
    && apk del .other-deps
RUN apt-get install -y gcc make && apt-get purge -y gcc
RUN apt-get install -y g++ && apt-mark auto '.*' && apt-get purge -y nothing
RUN apk del .late-deps
