FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY .npmrc ./
RUN npm ci && \
    rm -f .npmrc
COPY id_ed25519 /root/.ssh/id_ed25519
RUN git clone git@example.com:org/private.git /src \
    && rm /root/.ssh/id_ed25519 /root/.ssh/known_hosts
# A read-only mount cannot be chmod-ed: no fix.
COPY deploy.key /tmp/deploy.key
RUN chmod 600 /tmp/deploy.key && ./deploy.sh /tmp/deploy.key && rm /tmp/deploy.key
# Read by the app at run time: no fix.
COPY .env /app/.env
USER node
COPY --chown=node .env.local /app/
RUN cat /app/.env.local && rm /app/.env.local
