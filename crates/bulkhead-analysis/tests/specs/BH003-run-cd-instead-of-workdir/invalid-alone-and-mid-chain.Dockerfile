FROM node:20-slim
RUN cd /app
RUN npm ci && cd /srv/app && npm run build
