FROM node:22 AS build
RUN npm ci && npm run build

FROM build AS prune
RUN npm prune --omit=dev

FROM node:22-slim
COPY --from=prune /app /app
