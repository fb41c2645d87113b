FROM node:22-slim AS runtime
EXPOSE 3000
CMD ["node", "server.js"]
FROM runtime AS checked
HEALTHCHECK CMD curl -f http://127.0.0.1:3000/ || exit 1
