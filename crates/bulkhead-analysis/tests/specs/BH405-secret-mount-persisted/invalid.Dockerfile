# syntax=docker/dockerfile:1
FROM node:20-slim
RUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc /root/.npmrc && npm ci
RUN --mount=type=secret,id=token cat /run/secrets/token > /app/token
RUN --mount=type=secret,id=key,target=/tmp/key.pem cat /tmp/key.pem | base64 -d >> /etc/ssl/key.pem
RUN --mount=type=secret,id=gh,env=GH_TOKEN echo "$GH_TOKEN" | tee /root/.gh-token
