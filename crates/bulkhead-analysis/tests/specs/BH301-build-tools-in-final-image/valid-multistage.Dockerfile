FROM node:20 AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git
COPY . .
RUN npm ci && npm run build

FROM node:20-slim
COPY --from=build /src/dist /app
CMD ["node", "/app/index.js"]
