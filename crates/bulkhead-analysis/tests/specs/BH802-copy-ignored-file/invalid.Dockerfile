FROM node:22-slim
ARG CONFIG=config/local.json
WORKDIR /app
COPY package.json package-lock.json .env ./
COPY ["secrets/api.key", "/run/"]
ADD ./node_modules/ /app/node_modules/
copy --chown=node ${CONFIG} /app/config.json
