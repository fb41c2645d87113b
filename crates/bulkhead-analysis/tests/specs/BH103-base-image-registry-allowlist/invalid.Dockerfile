ARG ENGINE_VERSION
ARG REGISTRY=quay.io
FROM ghcr.io/acme/base:1.4 AS build
COPY --from=docker.io/bitnami/kubectl:1.31 /opt/bitnami/kubectl/bin/kubectl /usr/local/bin/
RUN --mount=type=bind,from=public.ecr.aws/acme/assets:1,target=/assets cp -r /assets /srv

FROM ${REGISTRY}/acme/app:2
ARG TOOLS_IMAGE
COPY --from=${TOOLS_IMAGE} /bin/tool /bin/tool
FROM python:3.12-slim
FROM quay.io/acme/engine:${ENGINE_VERSION}-dind
