FROM node:22-slim AS build
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci && rm .npmrc
RUN --mount=type=cache,target=/root/.npm npm run build && test -n "$NPM_TOKEN"

FROM node:22-slim
ENV NODE_ENV=production DB_PASSWORD=hunter2-in-prod
ENV apiKey="live-abcdefghijklmnop"
COPY --from=build /app/dist /app
CMD ["node", "/app/index.js"]
