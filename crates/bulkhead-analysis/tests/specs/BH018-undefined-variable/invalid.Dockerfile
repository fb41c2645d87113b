ARG VERSION=1.4.2
FROM alpine:3.20
COPY dist/app-${VERSION}-${TARGETARCH}.tar.gz /tmp/
