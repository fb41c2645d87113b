# The jar and node_modules are built on the host: the .dockerignore must keep them.
FROM eclipse-temurin:21-jre
COPY target/app.jar /app.jar
COPY . /srv/
FROM node:22-slim
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
