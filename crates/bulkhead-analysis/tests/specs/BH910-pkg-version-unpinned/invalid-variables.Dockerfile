FROM alpine:3.20
ENV PACKAGES="\
    curl \
    git=2.45.2-r0 \
"
RUN apk add --no-cache $PACKAGES
RUN buildDeps=' \
		gcc \
		make \
	' \
	set -x \
	&& apk add --no-cache --virtual .build-deps $buildDeps \
	&& apk del .build-deps
FROM debian:bookworm-slim
RUN set -eux; fetchDeps='wget ca-certificates=20230311'; apt-get update; apt-get install -y --no-install-recommends $fetchDeps; rm -rf /var/lib/apt/lists/*
