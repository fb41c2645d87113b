FROM alpine:3.20
LABEL org.opencontainers.image.sources="https://github.com/example/app"
LABEL Maintainer="ops@example.com" com.docker.extension.api-version=1 my..key=x
ONBUILD LABEL -bad-=1
label org.opencontainers.image.homepage "https://example.com"
