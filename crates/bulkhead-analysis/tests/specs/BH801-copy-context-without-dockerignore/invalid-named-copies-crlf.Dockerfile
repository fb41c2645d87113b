FROM node:22-slim
WORKDIR /app
# The build reads .env.production, and the image ships its own Dockerfile.
COPY .env.production Dockerfile ./
RUN --mount=type=bind,source=certs/ca.pem,target=/tmp/ca.pem \
    cp /tmp/ca.pem /usr/local/share/ca-certificates/ca.crt
COPY . .
RUN npm ci && npm run build
