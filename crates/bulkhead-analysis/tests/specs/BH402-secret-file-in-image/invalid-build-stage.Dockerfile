# A secret file in a stage that never ships is info; the same file in the final stage is not.
FROM node:22-slim AS deps
COPY .npmrc package.json package-lock.json /app/
RUN cd /app && npm ci

FROM node:22-slim
COPY --from=deps /app/node_modules /app/node_modules
COPY server.key /etc/app/server.key
# A `.key` copied somewhere else and imported from another path is still reported.
COPY signer.key /tmp/signer.key
RUN gpg --import /tmp/other.key
