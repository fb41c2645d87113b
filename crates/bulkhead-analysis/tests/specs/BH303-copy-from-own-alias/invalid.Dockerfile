FROM node:22-slim AS build
WORKDIR /app
COPY --from=build /app/dist /srv
