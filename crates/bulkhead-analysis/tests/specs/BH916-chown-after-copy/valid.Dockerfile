FROM node:22-slim
WORKDIR /app
COPY --chown=node:node . .
RUN chown -R node:node /data
COPY app.js /srv/
RUN chown node /srv/other.js
ARG OWNER=node
COPY lib /lib2
RUN chown -R $OWNER /lib2
