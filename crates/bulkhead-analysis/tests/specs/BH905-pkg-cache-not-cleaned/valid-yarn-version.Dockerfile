# From nodejs/docker-node: `yarn --version` checks the install, it downloads nothing.
FROM node:22-alpine
RUN apk add --no-cache --virtual .build-deps-yarn curl gnupg tar \
  && yarn --version \
  && rm -rf /tmp/*
