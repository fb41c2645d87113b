ARG DIR=build
FROM node:20-alpine AS builder
WORKDIR app
ARG DIR
WORKDIR ${DIR}
ONBUILD WORKDIR src

FROM builder
workdir out
