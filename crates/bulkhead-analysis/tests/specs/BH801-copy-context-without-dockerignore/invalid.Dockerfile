FROM node:22-slim AS build
WORKDIR /app
COPY . .
RUN npm ci

FROM node:22-slim
add ./ /src/
COPY --chown=1000:1000 --link . /app
