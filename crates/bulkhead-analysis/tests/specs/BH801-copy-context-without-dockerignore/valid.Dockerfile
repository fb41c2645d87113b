FROM node:22-slim AS build
COPY package.json ./
COPY src/ ./src/

FROM node:22-slim
COPY --from=build . /app
ONBUILD COPY . /app
