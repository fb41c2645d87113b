ARG NODE_VERSION=22
# the base follows the pinned version
FROM node:${NODE_VERISON}-slim AS build
FROM python:${PY}-slim
