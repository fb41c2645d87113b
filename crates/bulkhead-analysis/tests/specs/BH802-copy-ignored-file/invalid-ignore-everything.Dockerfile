FROM node:22-slim
WORKDIR /app
COPY . /app
COPY ./ .
