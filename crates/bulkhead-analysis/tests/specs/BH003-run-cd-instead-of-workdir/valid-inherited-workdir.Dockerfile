FROM node:20-slim
WORKDIR /app
RUN cd /app && npm ci
RUN cd /app/ \
 && npm run build

FROM node:20-slim AS second
RUN tar -xzf x.tgz && cd x-1.2 && make
RUN npm ci && (cd /srv && make)
RUN make && cd /usr/src/x && make install && rm -rf /usr/src/x
