# syntax=docker/dockerfile:1
FROM node:20-slim
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
# Copied, used and removed in the same step: the layer never holds it.
RUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc ~/.npmrc && npm ci && rm -f ~/.npmrc
RUN --mount=type=secret,id=gh,env=GH_TOKEN curl -fsSL -H "Authorization: Bearer $GH_TOKEN" https://api.github.com/ > /dev/null
RUN --mount=type=secret,id=token TOKEN="$(cat /run/secrets/token)" npm ci
# No secret mount: not this rule's business.
RUN cp /run/secrets/x /app/x
