FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/example/app" \
      org.opencontainers.image.revision=$GIT_SHA \
      com.example.team=platform-2 ${DYNAMIC_KEY}=x
LABEL maintainer "Ops Team <ops@example.com>"
