FROM node:22-slim AS build
WORKDIR /app
RUN npm ci && npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=0 /app/package.json /srv/
# An ONBUILD trigger runs in another build, where `build` may be a stage of that file.
ONBUILD COPY --from=build /x /y
