FROM node:22-slim
WORKDIR /app
COPY package.json ./
COPY . .
RUN chown -R node:node /app
USER node

FROM debian:bookworm-slim
COPY --from=0 /app /srv/app/
RUN npm ci && chown -R 1000 /srv/app \
    # fix perms
    && chmod -R g+w /srv/app
copy config/ /etc/app
run chown -R app:app /etc/app /var/log/app
