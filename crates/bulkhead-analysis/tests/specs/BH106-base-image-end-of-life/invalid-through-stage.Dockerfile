FROM node:16-alpine AS base
WORKDIR /app

FROM base
COPY . .
CMD ["node", "server.js"]
